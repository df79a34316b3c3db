import { splitAddress, temporalUiBaseUrl, workflowUiUrl } from '../../../src/temporal/ui-link';

describe('Temporal UI links', () => {
  it('follows the dev-server convention of UI port = gRPC port + 1000', () => {
    expect(temporalUiBaseUrl('localhost:7233')).toBe('http://localhost:8233');
    expect(temporalUiBaseUrl('127.0.0.1:40123')).toBe('http://127.0.0.1:41123');
  });

  it('prefers TEMPORAL_UI_URL and points Temporal Cloud addresses at the cloud UI', () => {
    expect(temporalUiBaseUrl('localhost:7233', 'https://temporal.example.com/')).toBe('https://temporal.example.com');
    expect(temporalUiBaseUrl('ns.acct.tmprl.cloud:7233')).toBe('https://cloud.temporal.io');
  });

  it('links to the history of one run, escaping the ids', () => {
    expect(workflowUiUrl('http://localhost:8233', 'default', 'release-m-production', 'abc-1')).toBe(
      'http://localhost:8233/namespaces/default/workflows/release-m-production/abc-1/history',
    );
    expect(workflowUiUrl('http://ui', 'my ns', 'a/b')).toBe('http://ui/namespaces/my%20ns/workflows/a%2Fb');
  });

  it('rejects an address that is not host:port', () => {
    expect(splitAddress('[::1]:7233')).toEqual({ host: '[::1]', port: 7233 });
    expect(() => splitAddress('localhost')).toThrow("'localhost' is not host:port");
    expect(() => splitAddress('localhost:99999')).toThrow('is not host:port');
  });
});
