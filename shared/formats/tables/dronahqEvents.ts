import { parseTsv } from './tsv.ts';

/** One documented DronaHQ audit event (a row of `dronahq-events.tsv`). */
export interface DronahqEvent {
  /** The id an event carries in `meta.event-id` (`app_published`). */
  readonly eventId: string;
  /** The vendor's display name (`App Published`). */
  readonly name: string;
  readonly selfHosted: boolean;
  readonly cloud: boolean;
}

/**
 * Verbatim copy of `dronahq-events.tsv` (DronaHQ's list of audit events), embedded because `shared/` reads
 * no files. A test keeps it byte-identical to the `.tsv` beside it.
 */
export const DRONAHQ_EVENTS_TSV = `event_id	name	self_hosted	cloud
user_invited	User Invited	yes	yes
user_activated	User Activated	yes	yes
user_deactivated	User Deactivated	yes	yes
user_password_reset	User Password Reset	yes	yes
user_password_forgot	User Password Forgot	yes	yes
user_updated	User Updated	yes	yes
group_created	Group Created	yes	yes
admin_logged_in	Admin Logged In	yes	yes
admin_logged_out	Admin Logged Out	yes	yes
app_saved	App Saved	yes	yes
app_created	App Created	yes	yes
app_deleted	App Deleted	yes	yes
app_published	App Published	yes	yes
app_unpublished	App Unpublished	yes	yes
app_permission_updated	App Permission Updated	yes	yes
app_config_updated	App Config Updated	yes	yes
template_created	Template Created	yes	yes
catalog_created	Catalog Created	yes	yes
connectors_added	Connectors Added	yes	yes
connectors_updated	Connectors Updated	yes	yes
connectors_deleted	Connectors Deleted	yes	yes
connectors_api_added	Connectors API Added	yes	yes
connectors_api_updated	Connectors API Updated	yes	yes
connectors_api_deleted	Connectors API Deleted	yes	yes
connectors_env_update	Connectors Environment Update	yes	yes
connectors_env_delete	Connectors Environment Delete	yes	yes
environment_added	Environment Added	yes	yes
environment_updated	Environment Updated	yes	yes
environment_deleted	Environment Deleted	yes	yes
db_query	Db Query	yes	yes
api_call	API Call	yes	yes
user_logged_in	User Logged In	yes	yes
user_logged_out	User Logged Out	yes	yes
user_password_forgot	User Password Forgot	yes	no
user_password_reset_requested	User Password Reset Requested	yes	no
settings_updated	Settings Updated	yes	no
public_access_enabled	Public Access Enabled	yes	yes
public_access_disabled	Public Access Disabled	yes	yes
organizational_access_enabled	Organizational Access Enabled	yes	yes
organizational_access_disabled	Organizational Access Disabled	yes	yes
`;

/** Every row in file order; the vendor lists `user_password_forgot` twice (cloud yes, then no). */
export const DRONAHQ_EVENTS: readonly DronahqEvent[] = Object.freeze(
  parseTsv(DRONAHQ_EVENTS_TSV).rows.map(
    ([eventId = '', name = '', selfHosted = '', cloud = '']): DronahqEvent =>
      Object.freeze({ eventId, name, selfHosted: selfHosted === 'yes', cloud: cloud === 'yes' }),
  ),
);
