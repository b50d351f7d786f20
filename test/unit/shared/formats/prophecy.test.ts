import { describe, expect, test } from 'vitest';
import type { EventFields } from '../../../../shared/event.ts';
import {
  mapEvent,
  PROPHECY_OPERATIONS,
  prophecyEntity,
  prophecyFormat,
  prophecyTarget,
} from '../../../../shared/formats/index.ts';

function map(obj: Record<string, unknown>): EventFields {
  return mapEvent(prophecyFormat, obj);
}

function sample(index: number): Record<string, unknown> {
  return JSON.parse(prophecyFormat.samples[index] ?? '') as Record<string, unknown>;
}

describe('Prophecy samples', () => {
  test('line 1: a User query by the system user', () => {
    expect(map(sample(0))).toEqual({
      ts: 1690610557857,
      user: 'prophecy-system@prophecy.io',
      entity: 'User',
      action: 'User',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: 'adminuser@prophecy.io',
      ip: null,
      userAgent: null,
      latencyMs: 11,
      txn: null,
    });
  });

  test('line 2: an operation outside the table, filed by its entity prefix, with no target parameter', () => {
    expect(map(sample(1))).toEqual({
      ts: 1690552930350,
      user: 'prophecy-system@prophecy.io',
      entity: 'Project',
      action: 'ProjectReleaseByProjectIdAndStatus',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: null,
      ip: null,
      userAgent: null,
      latencyMs: 5,
      txn: null,
    });
  });

  test('line 3: the same query again, 110 ms later', () => {
    expect(map(sample(2))).toEqual({
      ts: 1690610557967,
      user: 'prophecy-system@prophecy.io',
      entity: 'User',
      action: 'User',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: 'adminuser@prophecy.io',
      ip: null,
      userAgent: null,
      latencyMs: 10,
      txn: null,
    });
  });
});

describe('Prophecy outcome and status', () => {
  test('a response code of 400 or more is a failure', () => {
    expect(map({ ...sample(0), responseCode: 403 })).toMatchObject({ outcome: 'failure', status: '403' });
  });

  test('a response code below 400 is a success', () => {
    expect(map({ ...sample(0), responseCode: 399 })).toMatchObject({ outcome: 'success', status: '399' });
  });

  test('a response code sent as text is read as a number', () => {
    expect(map({ ...sample(0), responseCode: '500' })).toMatchObject({ outcome: 'failure', status: '500' });
  });

  test('no response code leaves outcome unknown and status null', () => {
    const { responseCode: _, ...line } = sample(0);
    expect(map(line)).toMatchObject({ outcome: 'unknown', status: null });
  });
});

describe('Prophecy fields', () => {
  test('createdAt in epoch seconds is scaled to milliseconds', () => {
    expect(map({ ...sample(0), createdAt: 1690610557 }).ts).toBe(1690610557000);
  });

  test('a line without nameHints has no action, entity or entity-specific target', () => {
    const { nameHints: _, ...line } = sample(0);
    expect(map(line)).toMatchObject({ action: null, entity: null, target: 'adminuser@prophecy.io' });
  });
});

describe('Prophecy entity rule 1: exact, case-sensitive look-up in the operations table', () => {
  test('releaseProject is filed under Project', () => {
    expect(prophecyEntity('releaseProject')).toBe('Project');
  });

  test('setPassword is filed under User', () => {
    expect(prophecyEntity('setPassword')).toBe('User');
  });

  test('the table wins over the entity-name rules: user is a Team operation', () => {
    expect(prophecyEntity('user')).toBe('Team');
  });

  test('the look-up is case-sensitive: ReleaseProject is not releaseProject', () => {
    expect(prophecyEntity('ReleaseProject')).toBe('Other');
  });

  test('every operation in the table resolves to its own entity', () => {
    const mismatches = PROPHECY_OPERATIONS.filter((op) => prophecyEntity(op.operation) !== op.entity);
    expect(mismatches).toEqual([]);
  });

  test('removeEntity takes the entity named by the quoted entityKind', () => {
    expect(prophecyEntity('removeEntity', '"Pipeline"')).toBe('Pipeline');
  });

  test('updateEntity matches entityKind ignoring case and returns the table spelling', () => {
    expect(prophecyEntity('updateEntity', '"pIPELINE"')).toBe('Pipeline');
  });

  test('removeEntity with an entityKind the table does not know stays Generic', () => {
    expect(prophecyEntity('removeEntity', '"Subgraph"')).toBe('Generic');
  });

  test('removeEntity without entityKind stays Generic', () => {
    expect(prophecyEntity('removeEntity', undefined)).toBe('Generic');
  });

  test('the normaliser passes requestParams.entityKind through', () => {
    const line = {
      ...sample(0),
      nameHints: ['removeEntity'],
      requestParams: { uid: '"p-9"', entityKind: '"Pipeline"' },
    };
    expect(map(line)).toMatchObject({ action: 'removeEntity', entity: 'Pipeline', target: 'p-9' });
  });
});

describe('Prophecy entity rule 2: the action is an entity name, ignoring case', () => {
  test('User is User', () => {
    expect(prophecyEntity('User')).toBe('User');
  });

  test('PIPELINE is Pipeline', () => {
    expect(prophecyEntity('PIPELINE')).toBe('Pipeline');
  });
});

describe('Prophecy entity rule 3: the longest entity name prefixing the action, ignoring case', () => {
  test('ProjectReleaseByProjectIdAndStatus is Project', () => {
    expect(prophecyEntity('ProjectReleaseByProjectIdAndStatus')).toBe('Project');
  });

  test('transpilerJobStatus is Transpiler', () => {
    expect(prophecyEntity('transpilerJobStatus')).toBe('Transpiler');
  });
});

describe('Prophecy entity rule 4', () => {
  test('fooBar is Other', () => {
    expect(prophecyEntity('fooBar')).toBe('Other');
  });
});

describe('Prophecy target', () => {
  test('<entity>Id comes before uid', () => {
    expect(prophecyTarget('Pipeline', { uid: '"u-1"', pipelineId: '"p-1"' })).toBe('p-1');
  });

  test('parameter names are compared ignoring case', () => {
    expect(prophecyTarget('Project', { branch: '"main"', projectID: '"p-7"' })).toBe('p-7');
  });

  test('uid comes before id, projectId, email and name', () => {
    expect(
      prophecyTarget('Team', { name: '"n"', email: '"e"', projectId: '"p"', id: '"i"', uid: '"u"' }),
    ).toBe('u');
  });

  test('a parameter that is empty or not a scalar is skipped', () => {
    expect(prophecyTarget('Job', { uid: { nested: true }, id: '""', name: '"nightly"' })).toBe('nightly');
  });

  test('a numeric parameter becomes its decimal text', () => {
    expect(prophecyTarget('Fabric', { id: 42 })).toBe('42');
  });

  test('an unquoted parameter is taken as it is', () => {
    expect(prophecyTarget('User', { email: 'bob@x' })).toBe('bob@x');
  });

  test('escapes inside a quoted parameter are decoded', () => {
    expect(prophecyTarget('Project', { name: String.raw`"\"Q3\" report"` })).toBe('"Q3" report');
  });

  test('no candidate parameter gives null', () => {
    expect(prophecyTarget('Project', { statuses: '[Pending,Running]' })).toBeNull();
  });

  test('requestParams that is not an object gives null', () => {
    expect(prophecyTarget('Project', '{"uid":"x"}')).toBeNull();
  });
});
