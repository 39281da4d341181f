import { describe, expect, it } from 'vitest';
import { graphed } from '../../src/collectors/aws/dashboards.js';

const body = (widgets: unknown[]) => JSON.stringify({ widgets });
const metric = (metrics: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'metric', properties: { metrics, ...extra } });

describe('graphed: what a dashboard body graphs', () => {
  it('an empty dashboard and text, log and alarm-status widgets graph no metric', () => {
    expect(graphed(body([]))).toEqual({ metricWidgets: 0, namespaces: [] });
    expect(
      graphed(body([{ type: 'text', properties: { markdown: '# Health' } }, { type: 'log', properties: { query: 'fields @message' } }, { type: 'alarm', properties: { alarms: ['arn:aws:cloudwatch:us-east-1:1:alarm:x'] } }])),
    ).toEqual({ metricWidgets: 0, namespaces: [] });
  });

  it('a metric widget without metrics, or with only constant math, is not counted', () => {
    expect(graphed(body([metric([]), metric([[{ expression: 'TIME_SERIES(1)', id: 'e1' }]]), { type: 'metric', properties: {} }]))).toEqual({ metricWidgets: 0, namespaces: [] });
  });

  it('reads the compact form, "." and "..." rows and options objects', () => {
    const rows = [
      ['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', 'ehr', { stat: 'Average' }],
      ['...', 'ehr-2'],
      ['.', 'DatabaseConnections', '.', '.'],
      ['AWS/ApiGateway', '5XXError', 'ApiName', 'api', { id: 'm1', visible: false }],
      [{ expression: 'm1*100', id: 'e1', label: 'errors %' }],
    ];
    expect(graphed(body([metric(rows), metric([['AWS/CloudFront', 'Requests', 'DistributionId', 'E1', 'Region', 'Global']])]))).toEqual({
      metricWidgets: 2,
      namespaces: ['AWS/ApiGateway', 'AWS/CloudFront', 'AWS/RDS'],
    });
  });

  it('reads namespaces out of SEARCH and Metrics Insights expressions', () => {
    const widgets = [
      metric([[{ expression: "SEARCH('{AWS/RDS,DBClusterIdentifier} MetricName=\"CPUUtilization\"', 'Average', 300)", id: 'e1' }]]),
      metric([[{ expression: "SEARCH(' Namespace=\"AWS/Lambda\" Errors ', 'Sum')", id: 'e2' }]]),
      metric([[{ expression: 'SELECT AVG(Latency) FROM SCHEMA("AWS/ApiGateway", ApiName)', id: 'q1' }]]),
      metric([[{ expression: 'SELECT SUM(Requests) FROM "AWS/CloudFront"', id: 'q2' }]]),
    ];
    expect(graphed(body(widgets))).toEqual({ metricWidgets: 4, namespaces: ['AWS/ApiGateway', 'AWS/CloudFront', 'AWS/Lambda', 'AWS/RDS'] });
  });

  it('a single-alarm graph counts, without a namespace', () => {
    expect(graphed(body([{ type: 'metric', properties: { annotations: { alarms: ['arn:aws:cloudwatch:us-east-1:1:alarm:rds-cpu'] } } }]))).toEqual({ metricWidgets: 1, namespaces: [] });
  });

  it('a body that is not dashboard JSON is unreadable, never an empty pass or fail', () => {
    expect(graphed(undefined)).toEqual({ unreadable: expect.stringContaining('not JSON') });
    expect(graphed('{"widgets":')).toEqual({ unreadable: expect.stringContaining('not JSON') });
    expect(graphed('null')).toEqual({ unreadable: expect.stringContaining('without a widgets list') });
    expect(graphed('{"widgets":{}}')).toEqual({ unreadable: expect.stringContaining('without a widgets list') });
    expect(graphed(body([null, 3, 'x']))).toEqual({ metricWidgets: 0, namespaces: [] });
  });
});
