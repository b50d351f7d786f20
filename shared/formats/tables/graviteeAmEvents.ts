import { parseTsv } from './tsv.ts';

/** One documented Gravitee AM audit event type (a row of `gravitee-am-events.tsv`). */
export interface GraviteeAmEvent {
  /** The event type (`USER_LOGIN`), carried as `event_type` or `type`. */
  readonly type: string;
  readonly description: string;
  /** The vendor's "additional information" column; often empty. */
  readonly info: string;
}

/**
 * Verbatim copy of `gravitee-am-events.tsv` (Gravitee AM's audit event types), embedded because `shared/`
 * reads no files. A test keeps it byte-identical to the `.tsv` beside it.
 */
export const GRAVITEE_AM_EVENTS_TSV = `type	description	info
CERTIFICATE_CREATED	Certificate created	API Operation
CERTIFICATE_UPDATED	Certificate updated	API Operation
CERTIFICATE_DELETED	Certificate deleted	API Operation
CLIENT_CREATED	Client created	API Operation
CLIENT_UPDATED	Client updated	API Operation
CLIENT_SECRET_RENEWED	Client secret renewed	API Operation
CLIENT_DELETED	Client deleted	API Operation
DOMAIN_CREATED	Security domain created	API Operation
DOMAIN_UPDATED	Security domain updated	API Operation
DOMAIN_DELETED	Security domain deleted	API Operation
EMAIL_TEMPLATE_CREATED	Email template created	API Operation (e.g., reset password email)
EMAIL_TEMPLATE_UPDATED	Email template updated	API Operation
EMAIL_TEMPLATE_DELETED	Email template deleted	API Operation
EXTENSION_GRANT_CREATED	OAuth 2.0 extension grant created	API Operation
EXTENSION_GRANT_UPDATED	OAuth 2.0 extension grant updated	API Operation
EXTENSION_GRANT_DELETED	OAuth 2.0 extension grant deleted	API Operation
FORGOT_PASSWORD_REQUESTED	User ask for reset its password	From the login page (forgot password link)
FORM_TEMPLATE_CREATED	HTML template created	API Operation (e.g., login page)
FORM_TEMPLATE_UPDATED	HTML template updated	API Operation
FORM_TEMPLATE_DELETED	HTML template deleted	API Operation
GROUP_CREATED	Group created	API Operation
GROUP_UPDATED	Group updated	API Operation
GROUP_DELETED	Group deleted	API Operation
IDENTITY_PROVIDER_CREATED	Identity provider created	API Operation (e.g., LDAP server)
IDENTITY_PROVIDER_UPDATED	Identity provider updated	API Operation
IDENTITY_PROVIDER_DELETED	Identity provider deletes	API Operation
REPORTER_CREATED	Reporter created	API Operation
REPORTER_UPDATED	Reporter updated	API Operation
REPORTER_DELETED	Reporter deleted	API Operation
ROLE_CREATED	Role created	API Operation
ROLE_UPDATED	Role updated	API Operation
ROLE_DELETED	Role deleted	API Operation
SCOPE_CREATED	OAuth 2.0 scope created	API Operation
SCOPE_UPDATED	OAuth 2.0 scope updated	API Operation
SCOPE_DELETED	OAuth 2.0 scope deleted	API Operation
USER_CONSENT_CONSENTED	User accept or deny access during consent step	
USER_CONSENT_REVOKED	User has revoked access to an application	
USER_CREATED	User created	API Operation
USER_UPDATED	User updated	API Operation
USER_DELETED	User deleted	API Operation
USER_LOGIN	User login	User sign in
USER_LOGOUT	User logout	User sign out
USER_PASSWORD_RESET	User has reset its password	
USER_REGISTERED	User has been registered	From the login page (register link)
RESET_PASSWORD_EMAIL_SENT	Reset password email has been sent	
REGISTRATION_CONFIRMATION	User has completed its registration	From registration confirmation email
REGISTRATION_CONFIRMATION_REQUESTED	A request to complete user registration has been sent	An email should have been sent
REGISTRATION_CONFIRMATION_EMAIL_SENT	Registration confirmation email has been set	
`;

/** Every row in file order. */
export const GRAVITEE_AM_EVENTS: readonly GraviteeAmEvent[] = Object.freeze(
  parseTsv(GRAVITEE_AM_EVENTS_TSV).rows.map(([type = '', description = '', info = '']): GraviteeAmEvent =>
    Object.freeze({ type, description, info }),
  ),
);
