import http from 'node:http';

// Pooled connections to the orders Service (http://orders:8080). keepAliveMsecs of an hour means
// the first keepalive probe leaves long after kube-proxy (IPVS, 900 s) has forgotten an idle
// connection: the next order lookup after a quiet quarter of an hour fails with ECONNRESET.
export const ordersAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60 * 60 * 1000, maxSockets: 50 });

export function getOrder(id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://orders:8080/api/orders/${encodeURIComponent(id)}`, { agent: ordersAgent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
