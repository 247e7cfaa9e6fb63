/**
 * npm run demo:cluster: one PostgreSQL, two Stafett instances and nginx as their load balancer, on this
 * machine (scripts/lib/cluster.ts). Prints the addresses; Ctrl-C stops everything (the instances drain
 * their requests first). Ports: CLUSTER_PORT-like arguments `-- --port 8080` for nginx (default 8080).
 */
import { startCluster } from './lib/cluster.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../seeds/01_organisation.js';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8080;
const cluster = await startCluster({
  port,
  output: (instance, text) => process.stderr.write(`[instance ${instance + 1}] ${text}`),
});
console.log(`\nStafett behind nginx: ${cluster.url}`);
for (const instance of cluster.instances)
  console.log(
    `  instance ${instance.index + 1}: ${instance.url} (metrics: http://127.0.0.1:${instance.metricsPort}/metrics)`,
  );
console.log(`\nDemo accounts (password ${DEMO_PASSWORD}):`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(32)} ${account.role}`);
console.log('\nStop with Ctrl-C.');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the instances, nginx and the database…');
  cluster.close().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
