import { parseTsv } from './tsv.ts';

/** One documented Prophecy GraphQL operation (a row of `prophecy-operations.tsv`). */
export interface ProphecyOperation {
  /** The entity the vendor files the operation under (`Project`, `Git`, … or `Generic`). */
  readonly entity: string;
  /** The GraphQL operation name, as it appears in an event's `nameHints[0]`. */
  readonly operation: string;
  readonly description: string;
  /** Parameter names, read leniently: some cells in the vendor table are not valid JSON. */
  readonly requestParams: readonly string[];
  /** The `request_params` cell exactly as the vendor wrote it. */
  readonly requestParamsText: string;
}

/**
 * Verbatim copy of `prophecy-operations.tsv` (Prophecy's audit event reference), embedded because `shared/`
 * reads no files. A test keeps it byte-identical to the `.tsv` beside it.
 */
export const PROPHECY_OPERATIONS_TSV = `entity	operation	description	request_params
Fabric	fabricDetailQuery	Get Fabric Details	["id"]
Fabric	addFabric	Add a Fabric	["name", "ownerUid"]
Fabric	updateOwnedBy	Update Team owing the Fabric	["id","targetUid"]
Fabric	userFabricQuery	Get all Fabrics for User	["uid"]
Project	addProject	Add a project	["name","forkMode","language", "ownerUid", "mainBranchModificationAllowed"]
Project	getDetails	Get Details of a Project	["projectId"]
Project	project	List all projects for User	["uid"]
Project	teamProjectAvailable	Available Projects for that Team	["uid", "language"]
Project	addProjectDependency	Add a dependency Project to Current	["projectId", "DependencyProjectUid"]
Project	updateProjectDependency	Update dependency Project to a new released version	["projectId", "DependencyProjectUid", "ReleaseTag"]
Project	removeProjectDependency	Removed an added dependency	["projectId", "DependencyProjectUid"]
Project	projectDependenciesQuery	List all project Dependencies	["projectId"]
Project	projectReleaseStatus	Gives Status of last Release for given project	["projectID", "statuses"]
Project	projectSyncFromGit	Status of Git sync of project	["uid"]
Project	releaseProject	Release a Project	["branch", "message","version","projectID", "CommitHash"]
Project	gitFooter	Details for Git for commit/branchNAme etc	["projectID"]
Project	addSubscriberToProject	Add Subscriber to a Project	["uid", "teamId"]
Project	projectBranches	List of available branches for this project	["projectId"]
Project	cloneProject	Created clone of current project	["uid", "name", "teamUid", "copyMainBranchReleaseTags"]
Pipeline	addPipeline	Add a new Pipeline	["name", "branch", "ownerId", "doCheckout"]
Pipeline	tableQueryPipeline	Lists all pipelines for project	["projectId", "sortOrder", "sortColumn"]
Pipeline	tableQueryPipeline	Lists all pipelines for User	["uid", "sortOrder", "sortColumn"]
Pipeline	pipelineDetailsQuery	Get Details of Pipeline	["Uid"]
Pipeline	clonePipeline	Cloned a Pipeline	["branch", "sourcePipelineId", "targetPipelineName", "ownerUid", "doCheckout"]
Pipeline	addSubgraph	When Subgraph is added to a Pipeline	["mode", "name", "language", "ownerUID"]
Pipeline	addUDFBulk	UDFs added to a Project	["udfs.name","udfs.description", "projectUID"]
Pipeline	removeUDFBulk	UDFs removed form a project	["uids"]
Pipeline	getSubgraph	Get Subgraph by given Id	["uid"]
Job	addJob	Add a Job	["name", "branch","fabricUID", "scheduler", "doCheckout", "projectUID"]
Job	updateJobConfiguration	Job configurations are updated	["emails", "jobUID", "enabled", "onStart", "fabricId", "onFailure", "onSuccess", "clusterMode", "scheduleCron"]
Job	latestJobReleaseByJobIdAndFabricID	Get Jobs Release by Fabric Id	["jobUID", "fabricUID"]
Job	jobReleaseByProjectRelease	Gets Jobs Released by Project ID	["projectReleaseUID"]
Job	jobQuery	Geta a Job by gievn Id	["uid"]
Job	addJobRelease	Adds a Job released mapping to project Release	["jobUID", "fabricUID", "scheduler", "schedulerJobUID", "projectReleaseUID"]
Job	tableQueryJob	list query for Jobs	["uid", "sortOrder", "sortColumn"]
Dataset	queryDataset	When Datasets are queried from any page	["uid", "optionalProjectUID"]
Dataset	addDataset	Added a new Dataset	["mode", "name", "ownerUID", "fabricUID", "datasetType"]
Dataset	addMultipleDatasets	Add Multiple Datasets	["names", "ownerUID", "tableNameList", "schemaNameList", "descriptionsList", "schemaAspectList", "databaseNamesList]
Team	addTeam	Added a new Team	["name", "adminUid"]
Team	getUserTeam	Get Teams for a User	["uid"]
Team	addteamAdmin	Add a user as Admin	["teamUid", "userUid", "invitationAccepted"]
Team	user	List All teams for Users with Members	["uid"]
User	getUser	Get User	["email"]
User	tableQueryUser	List query for the User	["uid", "sortOrder", "sortColumn"]
User	userAllFabricInfoAspect	Get User Details	["uid"]
User	setPassword	user Sets a new Password	["uid", "newPassword"]
Git	deleteBranch	Deleted a Branch	["projectId", "branchName"]
Git	checkout	Checkout a new branch	["projectId" , "branchName"]
Git	prCreationRedirectUrl	Pr Creation button clicked	["to", "from", "projectId"]
Git	createPR	Pr Creation button clicked	["to", "from", "toFork", "fromFork":, "projectId"]
Git	cleanCommit	Committed any changes	["message", "projectId"]
Git	commit	Commit button clicked	["branch", "message", "projectId"]
Git	pullOrigin	pull origin branch	["branch", "projectId"]
Git	checkGitConnection	Test Git connection	["externalUriArg", "pushAccessCheck", "userGitCredsUID"]
Git	linkSavedCredsToExternalGit	Linked Saved Creds to a project	["projectUID", "userGitCredsUID"]
Git	unlinkExternalGit	Unlink the saved creds	["projectUID"]
Git	checkout	When USer checks out a new branch	["branchName","projectUID"]
Git	branchDivergence	When user compares two branches for commit screen	["projectId", "branchName", "baseBranchName"]
Git	branchInfo	Gives details of a particular working branch	["projectId", "branchName", "remoteType"]
Git	setPrCreationTemplate	When user Sets PR creation template	["projectId", "customPrTemplate", "prCreationEnabled"}]
Git	getPrCreationTemplate	Gets PR creation template	["projectId"]
Git	deleteUserGitCreds	When user deleted saved Git creds	["uid"]
Git	linkExternalGit	Link saved Git creds	["projectUID", "externalRepoUri", "userGitCredsUID"]
Git	mergeMaster	Merge to master branch	["prNumber", "projectId", "entityConflicts", "projectConflicts", "resolvedConflicts"]
Transpiler	transpilerImport	Transpiler Import started	["uid"]
Transpiler	addTranspilerImport	Importing files to Prophecy Transpiler	["name", "status", "storagePath", "transpilerType"]
Generic	removeEntity	When any entity is removed	["uid", "entityKind"]
Generic	updateEntity	When any entity is updated	["uid", "entityKind", "entityFieldName", "entityFieldValue"]
`;

/**
 * Reads a `request_params` cell. The vendor table has cells such as `["to", "fromFork":, "projectId"]` and
 * `["a", "b}]` that are not JSON; for those, every comma-separated piece stripped of quotes, brackets,
 * braces and colons is taken as a name, which recovers what the author evidently meant.
 */
export function parseRequestParams(cell: string): string[] {
  try {
    const parsed: unknown = JSON.parse(cell);
    if (Array.isArray(parsed) && parsed.every((name) => typeof name === 'string')) return parsed;
  } catch {
    // Malformed cell: fall through to the lenient reading.
  }
  return cell
    .split(',')
    .map((piece) => piece.replace(/["\s:{}[\]]/g, ''))
    .filter((name) => name.length > 0);
}

/** Every row of the table in file order, duplicates included (the vendor lists `checkout` twice). */
export const PROPHECY_OPERATIONS: readonly ProphecyOperation[] = Object.freeze(
  parseTsv(PROPHECY_OPERATIONS_TSV).rows.map(
    ([entity = '', operation = '', description = '', requestParamsText = '']): ProphecyOperation =>
      Object.freeze({
        entity,
        operation,
        description,
        requestParams: Object.freeze(parseRequestParams(requestParamsText)),
        requestParamsText,
      }),
  ),
);
