import { describe, expect, test } from 'vitest';
import {
  DRONAHQ_EVENTS,
  DRONAHQ_EVENTS_TSV,
  GRAVITEE_AM_EVENTS,
  GRAVITEE_AM_EVENTS_TSV,
  PROPHECY_OPERATIONS,
  PROPHECY_OPERATIONS_TSV,
} from '../../../../shared/formats/index.ts';
import { parseRequestParams } from '../../../../shared/formats/tables/prophecyOperations.ts';
import { parseTsv } from '../../../../shared/formats/tables/tsv.ts';
import { tableBytes } from './files.ts';

describe('embedded tables equal the .tsv copies byte for byte', () => {
  test.each([
    ['prophecy-operations.tsv', PROPHECY_OPERATIONS_TSV],
    ['dronahq-events.tsv', DRONAHQ_EVENTS_TSV],
    ['gravitee-am-events.tsv', GRAVITEE_AM_EVENTS_TSV],
  ])('%s', (file, embedded) => {
    expect(Buffer.from(embedded, 'utf8').equals(tableBytes(file))).toBe(true);
  });
});

describe('parseTsv', () => {
  test('pads short rows to the header width and skips blank lines', () => {
    expect(parseTsv('a\tb\tc\r\n1\t2\n\n3\t4\t5\n')).toEqual({
      header: ['a', 'b', 'c'],
      rows: [
        ['1', '2', ''],
        ['3', '4', '5'],
      ],
    });
  });
});

describe('Prophecy operations table', () => {
  test('has every row, duplicates included', () => {
    expect(PROPHECY_OPERATIONS).toHaveLength(68);
    expect(PROPHECY_OPERATIONS.filter((op) => op.operation === 'checkout')).toHaveLength(2);
  });

  test('reads well-formed request_params as JSON', () => {
    const op = PROPHECY_OPERATIONS.find((row) => row.operation === 'releaseProject');
    expect(op?.requestParams).toEqual(['branch', 'message', 'version', 'projectID', 'CommitHash']);
  });

  test('reads a cell with a stray colon leniently', () => {
    const op = PROPHECY_OPERATIONS.find((row) => row.operation === 'createPR');
    expect(op?.requestParams).toEqual(['to', 'from', 'toFork', 'fromFork', 'projectId']);
    expect(op?.requestParamsText).toBe('["to", "from", "toFork", "fromFork":, "projectId"]');
  });

  test('reads a cell with an unterminated string leniently', () => {
    const op = PROPHECY_OPERATIONS.find((row) => row.operation === 'addMultipleDatasets');
    expect(op?.requestParams.at(-1)).toBe('databaseNamesList');
  });

  test('reads a cell with a stray brace leniently', () => {
    expect(parseRequestParams('["projectId", "customPrTemplate", "prCreationEnabled"}]')).toEqual([
      'projectId',
      'customPrTemplate',
      'prCreationEnabled',
    ]);
  });
});

describe('DronaHQ events table', () => {
  test('reads the availability columns as booleans', () => {
    expect(DRONAHQ_EVENTS).toHaveLength(40);
    expect(DRONAHQ_EVENTS.find((e) => e.eventId === 'settings_updated')).toEqual({
      eventId: 'settings_updated',
      name: 'Settings Updated',
      selfHosted: true,
      cloud: false,
    });
  });
});

describe('Gravitee AM events table', () => {
  test('keeps an empty info column as the empty string', () => {
    expect(GRAVITEE_AM_EVENTS).toHaveLength(48);
    expect(GRAVITEE_AM_EVENTS.find((e) => e.type === 'USER_PASSWORD_RESET')?.info).toBe('');
  });
});
