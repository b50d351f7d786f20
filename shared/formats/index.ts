/**
 * Source formats: declarative specs (detect, map, samples), the normaliser, and the vendor reference
 * tables. See `spec.ts` for the shape of a spec.
 */

export type {
  DetectRule,
  FieldRule,
  FieldRules,
  FieldSource,
  FormatId,
  FormatSpec,
  JsonObject,
  NumberTransform,
  OutcomeRule,
  PathList,
  ResolveHook,
  TextField,
  TextTransform,
  TimeTransform,
  TransformName,
} from './spec.ts';
export { BUILTIN_FORMAT_IDS, NUMBER_TRANSFORMS, TEXT_TRANSFORMS, TIME_TRANSFORMS } from './spec.ts';
export { compileFormat, defineFormat, FormatSpecError, type CompiledFormat } from './compile.ts';
export { detectFormat } from './detect.ts';
export { mapEvent } from './normalize.ts';
export { BUILTIN_FORMATS, findFormat } from './registry.ts';
export {
  prophecyFormat,
  prophecyEntity,
  prophecyTarget,
  PROPHECY_ENTITIES,
  PROPHECY_TARGET_PARAMS,
} from './prophecy.ts';
export { dronahqFormat, dronahqEntity, DRONAHQ_ENTITY_PREFIXES } from './dronahq.ts';
export { graviteeAmFormat } from './graviteeAm.ts';
export {
  createGenericFormat,
  GenericMappingError,
  GenericMappingSchema,
  type GenericMapping,
} from './generic.ts';
export { parsePath, PathSyntaxError, type PathSegment } from './paths.ts';
export {
  firstWordPascalCase,
  parseIsoTimestamp,
  pascalCase,
  toEpochMs,
  toNumber,
  toText,
  toTimestamp,
  unquote,
} from './values.ts';
export {
  PROPHECY_OPERATIONS,
  PROPHECY_OPERATIONS_TSV,
  type ProphecyOperation,
} from './tables/prophecyOperations.ts';
export { DRONAHQ_EVENTS, DRONAHQ_EVENTS_TSV, type DronahqEvent } from './tables/dronahqEvents.ts';
export {
  GRAVITEE_AM_EVENTS,
  GRAVITEE_AM_EVENTS_TSV,
  type GraviteeAmEvent,
} from './tables/graviteeAmEvents.ts';
