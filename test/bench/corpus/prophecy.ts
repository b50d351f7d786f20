/**
 * Prophecy user events (DESIGN §4). The operation table is copied from the vendor's reference table
 * (shared/formats/prophecy-operations.tsv, not read at run time) plus a few operations seen in real
 * exports that the table lacks (`User`, `ProjectReleaseByProjectIdAndStatus`, …), which exercise entity
 * rules (2)–(4). Lines are serialised exactly like the samples: Python-style separators, key order
 * opType, createdAt, nameHints, userEmail, customerName, responseCode, requestParams, requestPayload,
 * latencyInMillis, and string parameter values wrapped in escaped quotes.
 */
import type { Rng } from './prng.ts';
import { Weighted } from './prng.ts';
import { COMMIT_VERBS, FABRIC_NAMES, GLUE_WORDS } from './vocab.ts';
import type { EventInfo, Person, World } from './world.ts';
import { FLAG_PHRASE, FLAG_RARE, TextGen } from './world.ts';

export type ProphecyOpType = 'Query' | 'Mutation';

export interface ProphecyOp {
  /** nameHints[0]. */
  readonly name: string;
  /** The entity column of the reference table; '' for operations the table lacks (rules 2–4 apply). */
  readonly tableEntity: string;
  /** The entity the DESIGN §4 rules give (before the entityKind override of removeEntity/updateEntity). */
  readonly entity: string;
  readonly opType: ProphecyOpType;
  /** Request parameter names, in the reference table's order. */
  readonly params: readonly string[];
  /** Relative frequency. */
  readonly weight: number;
  /** What a bare `uid` parameter identifies (id prefix). */
  readonly uid: string;
  /** Median latency in ms. */
  readonly latency: number;
  /** Probability of a responseCode ≥ 400. */
  readonly failRate: number;
  /** Issued by the platform's system user (polling), not by a person. */
  readonly system?: boolean;
}

type Row = [
  name: string,
  tableEntity: string,
  opType: ProphecyOpType,
  weight: number,
  params: readonly string[],
  uid: string,
  latency: number,
  failRate?: number,
];

const Q = 'Query';
const M = 'Mutation';

/** [name, table entity ('' = not in the table), opType, weight, params, uid kind, median latency ms, fail rate]. */
// prettier-ignore
const ROWS: readonly Row[] = [
  ['fabricDetailQuery', 'Fabric', Q, 300, ['id'], 'f', 9],
  ['addFabric', 'Fabric', M, 3, ['name', 'ownerUid'], 'f', 140, 0.06],
  ['updateOwnedBy', 'Fabric', M, 2, ['id', 'targetUid'], 'f', 90, 0.05],
  ['userFabricQuery', 'Fabric', Q, 400, ['uid'], 'u', 14],
  ['addProject', 'Project', M, 8, ['name', 'forkMode', 'language', 'ownerUid', 'mainBranchModificationAllowed'], 'p', 420, 0.05],
  ['getDetails', 'Project', Q, 900, ['projectId'], 'p', 16],
  ['project', 'Project', Q, 600, ['uid'], 'u', 22],
  ['teamProjectAvailable', 'Project', Q, 100, ['uid', 'language'], 't', 25],
  ['addProjectDependency', 'Project', M, 6, ['projectId', 'DependencyProjectUid'], 'p', 180, 0.06],
  ['updateProjectDependency', 'Project', M, 6, ['projectId', 'DependencyProjectUid', 'ReleaseTag'], 'p', 190, 0.06],
  ['removeProjectDependency', 'Project', M, 3, ['projectId', 'DependencyProjectUid'], 'p', 150, 0.04],
  ['projectDependenciesQuery', 'Project', Q, 120, ['projectId'], 'p', 12],
  ['projectReleaseStatus', 'Project', Q, 200, ['projectID', 'statuses'], 'p', 10],
  ['projectSyncFromGit', 'Project', Q, 150, ['uid'], 'p', 40],
  ['releaseProject', 'Project', M, 12, ['branch', 'message', 'version', 'projectID', 'CommitHash'], 'p', 2400, 0.08],
  ['gitFooter', 'Project', Q, 450, ['projectID'], 'p', 30],
  ['addSubscriberToProject', 'Project', M, 4, ['uid', 'teamId'], 'p', 120, 0.05],
  ['projectBranches', 'Project', Q, 400, ['projectId'], 'p', 60],
  ['cloneProject', 'Project', M, 4, ['uid', 'name', 'teamUid', 'copyMainBranchReleaseTags'], 'p', 900, 0.07],
  ['addPipeline', 'Pipeline', M, 30, ['name', 'branch', 'ownerId', 'doCheckout'], 'pl', 160, 0.04],
  ['tableQueryPipeline', 'Pipeline', Q, 250, ['projectId', 'sortOrder', 'sortColumn'], 'p', 28],
  ['tableQueryPipeline', 'Pipeline', Q, 250, ['uid', 'sortOrder', 'sortColumn'], 'u', 28],
  ['pipelineDetailsQuery', 'Pipeline', Q, 800, ['Uid'], 'pl', 18],
  ['clonePipeline', 'Pipeline', M, 10, ['branch', 'sourcePipelineId', 'targetPipelineName', 'ownerUid', 'doCheckout'], 'pl', 300, 0.05],
  ['addSubgraph', 'Pipeline', M, 15, ['mode', 'name', 'language', 'ownerUID'], 'sg', 140, 0.04],
  ['addUDFBulk', 'Pipeline', M, 8, ['udfs.name', 'udfs.description', 'projectUID'], 'udf', 210, 0.05],
  ['removeUDFBulk', 'Pipeline', M, 4, ['uids'], 'udf', 120, 0.03],
  ['getSubgraph', 'Pipeline', Q, 150, ['uid'], 'sg', 15],
  ['addJob', 'Job', M, 12, ['name', 'branch', 'fabricUID', 'scheduler', 'doCheckout', 'projectUID'], 'j', 230, 0.06],
  ['updateJobConfiguration', 'Job', M, 25, ['emails', 'jobUID', 'enabled', 'onStart', 'fabricId', 'onFailure', 'onSuccess', 'clusterMode', 'scheduleCron'], 'j', 170, 0.05],
  ['latestJobReleaseByJobIdAndFabricID', 'Job', Q, 120, ['jobUID', 'fabricUID'], 'j', 14],
  ['jobReleaseByProjectRelease', 'Job', Q, 80, ['projectReleaseUID'], 'r', 16],
  ['jobQuery', 'Job', Q, 250, ['uid'], 'j', 12],
  ['addJobRelease', 'Job', M, 10, ['jobUID', 'fabricUID', 'scheduler', 'schedulerJobUID', 'projectReleaseUID'], 'j', 260, 0.07],
  ['tableQueryJob', 'Job', Q, 200, ['uid', 'sortOrder', 'sortColumn'], 'p', 26],
  ['queryDataset', 'Dataset', Q, 350, ['uid', 'optionalProjectUID'], 'd', 20],
  ['addDataset', 'Dataset', M, 25, ['mode', 'name', 'ownerUID', 'fabricUID', 'datasetType'], 'd', 150, 0.05],
  ['addMultipleDatasets', 'Dataset', M, 5, ['names', 'ownerUID', 'tableNameList', 'schemaNameList', 'descriptionsList', 'schemaAspectList', 'databaseNamesList'], 'd', 650, 0.08],
  ['addTeam', 'Team', M, 2, ['name', 'adminUid'], 't', 110, 0.05],
  ['getUserTeam', 'Team', Q, 250, ['uid'], 'u', 11],
  ['addteamAdmin', 'Team', M, 3, ['teamUid', 'userUid', 'invitationAccepted'], 't', 95, 0.06],
  ['user', 'Team', Q, 200, ['uid'], 'u', 13],
  ['getUser', 'User', Q, 250, ['email'], 'u', 8],
  ['tableQueryUser', 'User', Q, 60, ['uid', 'sortOrder', 'sortColumn'], 't', 24],
  ['userAllFabricInfoAspect', 'User', Q, 300, ['uid'], 'u', 19],
  ['setPassword', 'User', M, 0.5, ['uid', 'newPassword'], 'u', 210, 0.1],
  ['deleteBranch', 'Git', M, 15, ['projectId', 'branchName'], 'p', 700, 0.06],
  ['checkout', 'Git', M, 50, ['projectId', 'branchName'], 'p', 850, 0.05],
  ['prCreationRedirectUrl', 'Git', Q, 30, ['to', 'from', 'projectId'], 'p', 45],
  ['createPR', 'Git', M, 12, ['to', 'from', 'toFork', 'fromFork', 'projectId'], 'p', 1300, 0.08],
  ['cleanCommit', 'Git', M, 40, ['message', 'projectId'], 'p', 1100, 0.05],
  ['commit', 'Git', M, 120, ['branch', 'message', 'projectId'], 'p', 1200, 0.05],
  ['pullOrigin', 'Git', M, 60, ['branch', 'projectId'], 'p', 1600, 0.09],
  ['checkGitConnection', 'Git', Q, 40, ['externalUriArg', 'pushAccessCheck', 'userGitCredsUID'], 'gc', 900, 0.12],
  ['linkSavedCredsToExternalGit', 'Git', M, 3, ['projectUID', 'userGitCredsUID'], 'p', 300, 0.06],
  ['unlinkExternalGit', 'Git', M, 1, ['projectUID'], 'p', 200, 0.04],
  ['checkout', 'Git', M, 50, ['branchName', 'projectUID'], 'p', 850, 0.05],
  ['branchDivergence', 'Git', Q, 150, ['projectId', 'branchName', 'baseBranchName'], 'p', 300],
  ['branchInfo', 'Git', Q, 350, ['projectId', 'branchName', 'remoteType'], 'p', 120],
  ['setPrCreationTemplate', 'Git', M, 1, ['projectId', 'customPrTemplate', 'prCreationEnabled'], 'p', 90, 0.04],
  ['getPrCreationTemplate', 'Git', Q, 40, ['projectId'], 'p', 9],
  ['deleteUserGitCreds', 'Git', M, 1, ['uid'], 'gc', 80, 0.03],
  ['linkExternalGit', 'Git', M, 3, ['projectUID', 'externalRepoUri', 'userGitCredsUID'], 'p', 700, 0.1],
  ['mergeMaster', 'Git', M, 10, ['prNumber', 'projectId', 'entityConflicts', 'projectConflicts', 'resolvedConflicts'], 'p', 2100, 0.1],
  ['transpilerImport', 'Transpiler', Q, 15, ['uid'], 'tr', 35],
  ['addTranspilerImport', 'Transpiler', M, 2, ['name', 'status', 'storagePath', 'transpilerType'], 'tr', 500, 0.08],
  ['removeEntity', 'Generic', M, 25, ['uid', 'entityKind'], '', 140, 0.04],
  ['updateEntity', 'Generic', M, 150, ['uid', 'entityKind', 'entityFieldName', 'entityFieldValue'], '', 110, 0.03],
  // Seen in exports, absent from the table: rule (2) exact entity name, rule (3) longest prefix, rule (4) Other.
  ['User', '', Q, 700, ['email'], 'u', 10],
  ['ProjectReleaseByProjectIdAndStatus', '', Q, 500, ['statuses'], 'r', 6],
  ['pipelineMetricsQuery', '', Q, 120, ['Uid'], 'pl', 55],
  ['jobRunsQuery', '', Q, 100, ['jobUID'], 'j', 35],
  ['lineageQuery', '', Q, 60, ['uid'], 'd', 240, 0.02],
  ['healthCheck', '', Q, 80, [], '', 2, 0.002],
];

/** Entity names of the reference table (DESIGN §4 rules 2–3 match against these). */
export const PROPHECY_ENTITIES = [
  'Fabric',
  'Project',
  'Pipeline',
  'Job',
  'Dataset',
  'Team',
  'User',
  'Git',
  'Transpiler',
  'Generic',
] as const;

/** The DESIGN §4 entity rules (1)–(4), without the entityKind override. */
export function prophecyEntityOf(action: string): string {
  const row = ROWS.find((r) => r[0] === action && r[1] !== '');
  if (row) return row[1];
  const lower = action.toLowerCase();
  const exact = PROPHECY_ENTITIES.find((e) => e.toLowerCase() === lower);
  if (exact) return exact;
  let best = '';
  for (const e of PROPHECY_ENTITIES)
    if (lower.startsWith(e.toLowerCase()) && e.length > best.length) best = e;
  return best || 'Other';
}

export const PROPHECY_OPS: readonly ProphecyOp[] = ROWS.map(
  ([name, tableEntity, opType, weight, params, uid, latency, failRate]) => ({
    name,
    tableEntity,
    entity: prophecyEntityOf(name),
    opType,
    params,
    weight,
    uid,
    latency,
    failRate: failRate ?? 0.015,
    ...(name === 'User' || name === 'ProjectReleaseByProjectIdAndStatus' ? { system: true } : {}),
  }),
);

/** entityKind values of removeEntity/updateEntity: entity names, plus kinds that name no entity. */
const ENTITY_KINDS = [
  'Pipeline',
  'Pipeline',
  'Pipeline',
  'Project',
  'Job',
  'Job',
  'Dataset',
  'Dataset',
  'Gem',
  'Subgraph',
];
const KIND_PREFIX: Record<string, string> = {
  Pipeline: 'pl',
  Project: 'p',
  Job: 'j',
  Dataset: 'd',
  Gem: 'gem',
  Subgraph: 'sg',
};

const FAIL_CODES = [400, 401, 403, 404, 409, 500, 502, 503, 504];
const FAIL_PICK = new Weighted([30, 8, 25, 20, 7, 7, 1.5, 1, 0.5]);

/** GraphQL selections per entity, for requestPayload field lists (as in the samples). */
// prettier-ignore
const FIELDS: Record<string, readonly string[]> = {
  User: ['name', 'firstName', 'lastName', 'email', 'created', 'createdBy', 'aspects(aspect:[Info]){AspectName AspectValue}'],
  Project: ['name', 'language', 'created', 'createdBy', 'forkMode', 'mainBranchModificationAllowed', 'teams{_id name}', 'releases{_id releaseTag status}', 'lastRelease{releaseTag created}'],
  ProjectRelease: ['releaseTag', 'status', 'attempt', 'createdBy', 'project{_id name}'],
  Pipeline: ['name', 'branch', 'mode', 'language', 'created', 'createdBy', 'lastModified', 'project{_id name}', 'fabric{_id name}', 'gems{_id kind}'],
  Job: ['name', 'enabled', 'scheduler', 'scheduleCron', 'fabric{_id name}', 'project{_id name}', 'lastRun{status started finished}'],
  Fabric: ['name', 'clusterMode', 'created', 'owner{_id name}', 'aspects(aspect:[Info]){AspectName AspectValue}'],
  Dataset: ['name', 'datasetType', 'format', 'created', 'schema{fields{name type}}', 'fabric{_id name}'],
  Team: ['name', 'created', 'admins{_id email}', 'users{_id email}', 'projects{_id name}'],
  Git: ['branch', 'ahead', 'behind', 'remoteUrl', 'workingBranch{name}', 'commits{hash message author}'],
  Transpiler: ['status', 'storagePath', 'transpilerType', 'created'],
  Generic: ['status', 'updated', 'updatedBy', 'version'],
  Other: ['status', 'version', 'uptimeSeconds', 'checks{name status}'],
};

/** Fixed strings this module emits (for the vocabulary disjointness test). */
export const PROPHECY_FIXED = [
  ...ROWS.flatMap((r) => [r[0], ...r[4]]),
  ...Object.values(FIELDS).flat(),
  ...ENTITY_KINDS,
  ...FABRIC_NAMES,
  'nightly hourly weekly import migration scala python sql Single Multi asc desc created name lastModified',
  'Databricks Airflow batch streaming File Table Warehouse origin upstream Informatica Alteryx AbInitio',
  'Pending Running Retrying MON-FRI description tags udf fn analytics hive_metastore bulk tbl filter',
  'mutation Release Summary Merge branch into main develop release feature fix chore hotfix dbfs transpiler',
  'https github com git prophecy-system prophecy.io',
];

function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Payload field-list variants per operation, escaped once (they live inside the requestPayload string). */
function fieldVariants(op: ProphecyOp, rng: Rng): string[] {
  const key = op.name === 'ProjectReleaseByProjectIdAndStatus' ? 'ProjectRelease' : op.entity;
  const pool = FIELDS[key] ?? FIELDS.Other!;
  if (op.name === 'User') {
    // Exactly the sample's selection.
    return [jsonEscape(JSON.stringify(['_id', ...pool]).slice(0, -1))];
  }
  const out: string[] = [];
  for (let v = 0; v < 6; v++) {
    const fields = ['_id', ...pool.filter(() => rng.chance(0.65))];
    // At least ~50 characters, like real selections.
    for (const f of pool) if (JSON.stringify(fields).length < 50 && !fields.includes(f)) fields.push(f);
    out.push(jsonEscape(JSON.stringify(fields).slice(0, -1)));
  }
  return out;
}

/** What a long (hostile) line or a secret-bearing line should look like; null = an ordinary event. */
export type ProphecySpecial =
  | { kind: 'rare' }
  | { kind: 'phrase' }
  | { kind: 'setPassword'; marker: string }
  | { kind: 'long'; bytes: number };

/** Entities whose list queries sometimes carry a name filter (topic words in query payloads). */
const FILTERABLE = new Set(['Project', 'Pipeline', 'Dataset', 'Job', 'Team']);

const FORCED_TEXT_OPS = ['commit', 'commit', 'commit', 'cleanCommit', 'cleanCommit', 'releaseProject'];

export class ProphecyGen {
  private readonly world: World;
  private readonly rng: Rng;
  private readonly text: TextGen;
  private readonly opPick: Weighted;
  private readonly variants: string[][];
  private readonly actionIds: number[];
  private readonly entityIds: Map<string, number>;
  private readonly opTypeIds: number[];
  private readonly byName = new Map<string, number>();
  /** Text woven into the next commit/release message (rare word or phrase). */
  private extra: string | undefined;
  private secret: string | undefined;
  /** entityKind of the current removeEntity/updateEntity. */
  private kind = 'Pipeline';

  constructor(world: World, rng: Rng, variantRng: Rng) {
    this.world = world;
    this.rng = rng;
    this.text = new TextGen(world, rng);
    this.opPick = new Weighted(PROPHECY_OPS.map((o) => o.weight));
    this.variants = PROPHECY_OPS.map((o) => fieldVariants(o, variantRng));
    this.actionIds = PROPHECY_OPS.map((o) => world.actions.id(o.name));
    this.entityIds = new Map([...PROPHECY_ENTITIES, 'Other'].map((e) => [e, world.entities.id(e)]));
    this.opTypeIds = PROPHECY_OPS.map((o) => world.opTypes.id(o.opType));
    PROPHECY_OPS.forEach((o, i) => {
      if (!this.byName.has(o.name)) this.byName.set(o.name, i);
    });
  }

  /** One event line at `ts`; fills `info`. */
  next(ts: number, info: EventInfo, special: ProphecySpecial | null = null): string {
    const rng = this.rng;
    const world = this.world;
    const text = this.text;
    text.flags = 0;
    this.extra = undefined;
    this.secret = undefined;
    let opIndex: number;
    if (special === null) opIndex = this.opPick.pick(rng);
    else if (special.kind === 'rare' || special.kind === 'phrase') {
      opIndex = this.byName.get(rng.pick(FORCED_TEXT_OPS))!;
      if (special.kind === 'rare') {
        this.extra = world.rareWord;
        text.flags |= FLAG_RARE;
      } else {
        this.extra = `${world.phrase[0]} ${world.phrase[1]}`;
        text.flags |= FLAG_PHRASE;
      }
    } else if (special.kind === 'setPassword') {
      opIndex = this.byName.get('setPassword')!;
      this.secret = special.marker;
    } else {
      return this.longLine(ts, info, special.bytes);
    }
    const op = PROPHECY_OPS[opIndex]!;
    const person = world.pickPerson(rng);
    const system = op.system === true;
    const email = system ? 'prophecy-system@prophecy.io' : person.email;
    const customer = system ? 'prophecy.io' : person.org.domain;

    let code = 200;
    const failRate = op.opType === 'Mutation' ? op.failRate * 1.5 : op.failRate;
    if (rng.float() < failRate) code = FAIL_CODES[FAIL_PICK.pick(rng)]!;
    let latency = Math.max(1, Math.round(op.latency * Math.exp(0.9 * rng.normal())));
    if (code >= 500 && rng.chance(0.3)) latency += 30000;

    let entity = op.entity;
    if (op.tableEntity === 'Generic') {
      this.kind = rng.pick(ENTITY_KINDS);
      if (this.entityIds.has(this.kind)) entity = this.kind;
    }
    let params = '';
    let args = '';
    let udfsDone = false;
    for (const p of op.params) {
      if (p.startsWith('udfs.')) {
        if (udfsDone) continue;
        udfsDone = true;
      }
      const key = p.startsWith('udfs.') ? 'udfs' : p;
      const lit = this.literal(p, op, person);
      params += params === '' ? `"${key}": "${lit}"` : `, "${key}": "${lit}"`;
      const argLit = p === 'newPassword' ? '$newPassword' : lit;
      args += args === '' ? `${key}: ${argLit}` : `, ${key}: ${argLit}`;
    }
    if (this.secret !== undefined) {
      info.secretKey = 'newPassword';
      info.secretMarker = this.secret;
    } else {
      info.secretKey = null;
      info.secretMarker = null;
    }

    const variants = this.variants[opIndex]!;
    let payload: string;
    if (op.opType === 'Query') {
      payload = variants[rng.int(variants.length)]!;
      if (!system && FILTERABLE.has(op.entity) && rng.chance(0.25)) {
        payload += `,\\"${op.entity.toLowerCase()}s(filter:{name:\\\\\\"${this.filterName(op.entity)}\\\\\\"}){_id name}\\"`;
      }
      payload += ']';
    } else {
      const sel = variants[rng.int(variants.length)]!.slice(1).replaceAll('\\"', '').replaceAll(',', ' ');
      payload = `mutation { ${op.name}(${args}) { ${sel} } }`;
      // Real payloads stay under a few hundred characters: trim the selection first.
      if (payload.length > 400) payload = `mutation { ${op.name}(${args}) { _id } }`;
    }

    info.format = 0;
    info.user = system ? world.systemUser : person.user;
    info.action = this.actionIds[opIndex]!;
    info.entity = this.entityIds.get(entity)!;
    info.opType = this.opTypeIds[opIndex]!;
    info.failure = code >= 400;
    info.ts = ts;
    info.flags = text.flags;
    return `{"opType": "${op.opType}", "createdAt": ${ts}, "nameHints": ["${op.name}"], "userEmail": "${email}", "customerName": "${customer}", "responseCode": ${code}, "requestParams": {${params}}, "requestPayload": "${payload}", "latencyInMillis": ${latency}}`;
  }

  private filterName(entity: string): string {
    switch (entity) {
      case 'Project':
        return this.text.nameOf(this.text.pickProject());
      case 'Pipeline':
        return this.text.pipelineName();
      case 'Dataset':
        return this.text.datasetName();
      case 'Team':
        return this.text.nameOf(this.text.pickTeam());
      default:
        return this.text.word();
    }
  }

  private id(prefix: string): string {
    if (prefix === 'p') return this.text.pickProject().id;
    if (prefix === 't') return this.text.pickTeam().id;
    if (prefix === 'u') return this.world.pickPerson(this.rng).uid;
    return `${prefix}-${this.rng.range(100, 99999)}`;
  }

  /** The GraphQL literal of one parameter, already escaped for a JSON string ("\"x\"" for strings). */
  private literal(p: string, op: ProphecyOp, person: Person): string {
    const rng = this.rng;
    const text = this.text;
    const s = (v: string): string => `\\"${v}\\"`;
    switch (p) {
      case 'uid':
      case 'Uid':
        return s(this.id(op.uid === '' ? KIND_PREFIX[this.kind]! : op.uid));
      case 'id':
        return s(this.id(op.uid));
      case 'projectId':
      case 'projectID':
      case 'projectUID':
      case 'DependencyProjectUid':
      case 'optionalProjectUID':
        return s(text.pickProject().id);
      case 'ownerUid':
      case 'ownerUID':
      case 'ownerId':
      case 'targetUid':
      case 'teamId':
      case 'teamUid':
        return s(text.pickTeam().id);
      case 'userUid':
      case 'adminUid':
        return s(person.uid);
      case 'fabricUID':
      case 'fabricId':
        return s(`f-${rng.range(1, 40)}`);
      case 'jobUID':
        return s(`j-${rng.range(100, 9999)}`);
      case 'schedulerJobUID':
        return s(`${rng.range(100000, 999999)}`);
      case 'projectReleaseUID':
        return s(`r-${rng.range(100, 99999)}`);
      case 'sourcePipelineId':
        return s(`pl-${rng.range(100, 99999)}`);
      case 'userGitCredsUID':
        return s(`gc-${rng.range(10, 999)}`);
      case 'uids':
        return `[${s(`udf-${rng.range(100, 9999)}`)},${s(`udf-${rng.range(100, 9999)}`)}]`;
      case 'name':
        switch (op.entity) {
          case 'Project':
            return s(`${text.word()}_${text.word()}`);
          case 'Pipeline':
            return s(text.pipelineName());
          case 'Job':
            return s(`${text.word()}_${rng.pick(['nightly', 'hourly', 'weekly'])}`);
          case 'Dataset':
            return s(text.datasetName());
          case 'Team':
            return s(`${text.word()}-team`);
          case 'Fabric':
            return s(rng.pick(FABRIC_NAMES));
          default:
            return s(`${text.word()}_${rng.pick(['import', 'migration'])}`);
        }
      case 'targetPipelineName':
        return s(text.pipelineName());
      case 'branch':
      case 'branchName':
      case 'from':
        return s(text.branch());
      case 'to':
      case 'baseBranchName':
        return s(rng.chance(0.8) ? 'main' : 'develop');
      case 'message':
        return s(
          op.name === 'releaseProject' && this.extra === undefined
            ? `Release ${text.version()}: ${text.word()} ${text.word()}`
            : text.commitMessage(COMMIT_VERBS, GLUE_WORDS, this.extra),
        );
      case 'version':
      case 'ReleaseTag':
        return s(text.version());
      case 'CommitHash':
        return s(rng.hex(40));
      case 'email':
        return s(this.world.pickPerson(rng).email);
      case 'emails':
        return `[${s(person.email)}]`;
      case 'newPassword':
        this.secret ??= `SECRETMARKER${rng.hex(20)}`;
        return s(this.secret);
      case 'language':
        return rng.pick(['scala', 'python', 'python', 'sql']);
      case 'forkMode':
        return rng.pick(['Single', 'Multi']);
      case 'sortOrder':
        return rng.pick(['asc', 'desc']);
      case 'sortColumn':
        return s(rng.pick(['created', 'name', 'lastModified']));
      case 'scheduler':
        return rng.pick(['Databricks', 'Airflow']);
      case 'mode':
        return rng.pick(['batch', 'batch', 'streaming']);
      case 'datasetType':
        return rng.pick(['File', 'Table', 'Warehouse']);
      case 'clusterMode':
        return rng.pick(['Single', 'Multi']);
      case 'remoteType':
        return rng.pick(['origin', 'upstream']);
      case 'transpilerType':
        return rng.pick(['Informatica', 'Alteryx', 'AbInitio']);
      case 'status':
        return rng.pick(['Pending', 'Running']);
      case 'statuses':
        return '[Pending,Running,Retrying]';
      case 'scheduleCron':
        return s(rng.pick(['0 0 2 * * ?', '0 30 * * * ?', '0 0 6 ? * MON-FRI']));
      case 'storagePath':
        return s(`dbfs:/transpiler/${text.word()}/${rng.range(1, 999)}`);
      case 'externalUriArg':
      case 'externalRepoUri':
        return s(`https://github.com/${person.org.slug}/${text.word()}-${text.word()}.git`);
      case 'prNumber':
        return `${rng.range(1, 900)}`;
      case 'entityConflicts':
      case 'projectConflicts':
      case 'resolvedConflicts':
        return rng.chance(0.8) ? '[]' : `[${s(`pl-${rng.range(100, 99999)}`)}]`;
      case 'customPrTemplate':
        return s(`Summary: ${text.word()} ${text.word()}`);
      case 'entityKind':
        return s(this.kind);
      case 'entityFieldName':
        return s(rng.pick(['description', 'name', 'tags']));
      case 'entityFieldValue':
        return s(`${text.word()} ${text.word()} ${text.word()}`);
      case 'udfs.name':
      case 'udfs.description':
        return `[{name:${s(`${text.word()}_${rng.pick(['udf', 'fn'])}`)}, description:${s(`${text.word()} ${text.word()}`)}}]`;
      case 'names':
      case 'tableNameList':
        return `[${s(text.datasetName())},${s(text.datasetName())}]`;
      case 'schemaNameList':
        return `[${s('analytics')},${s('analytics')}]`;
      case 'descriptionsList':
        return `[${s(`${text.word()} ${text.word()}`)},${s(`${text.word()} ${text.word()}`)}]`;
      case 'schemaAspectList':
        return '[]';
      case 'databaseNamesList':
        return `[${s('hive_metastore')},${s('hive_metastore')}]`;
      case 'mainBranchModificationAllowed':
      case 'doCheckout':
      case 'copyMainBranchReleaseTags':
      case 'invitationAccepted':
      case 'enabled':
      case 'onStart':
      case 'onFailure':
      case 'onSuccess':
      case 'pushAccessCheck':
      case 'prCreationEnabled':
      case 'toFork':
      case 'fromFork':
        return rng.chance(0.7) ? 'true' : 'false';
      default:
        throw new Error(`No generator for Prophecy parameter ${p}`);
    }
  }

  /**
   * A valid addMultipleDatasets event of about `bytes` bytes (a bulk registration of generated tables),
   * built from words that are not topic words so the full-text truth is unaffected.
   */
  private longLine(ts: number, info: EventInfo, bytes: number): string {
    const person = this.world.pickPerson(this.rng);
    const opIndex = this.byName.get('addMultipleDatasets')!;
    const item = (i: number): string => `\\"tbl_${String(i).padStart(7, '0')}\\"`;
    const per = 16;
    const n = Math.max(1, Math.floor(bytes / (per * 2)));
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(item(i));
    const list = `[${names.join(',')}]`;
    info.format = 0;
    info.user = person.user;
    info.action = this.actionIds[opIndex]!;
    info.entity = this.entityIds.get('Dataset')!;
    info.opType = this.opTypeIds[opIndex]!;
    info.failure = false;
    info.ts = ts;
    info.flags = 0;
    info.secretKey = null;
    info.secretMarker = null;
    return `{"opType": "Mutation", "createdAt": ${ts}, "nameHints": ["addMultipleDatasets"], "userEmail": "${person.email}", "customerName": "${person.org.domain}", "responseCode": 200, "requestParams": {"names": "${list}", "ownerUID": "\\"${person.uid}\\"", "tableNameList": "${list}", "schemaNameList": "[\\"bulk\\"]", "descriptionsList": "[]", "schemaAspectList": "[]", "databaseNamesList": "[\\"hive_metastore\\"]"}, "requestPayload": "mutation { addMultipleDatasets(names: $names) { _id } }", "latencyInMillis": ${this.rng.range(2000, 9000)}}`;
  }
}
