import type { Axon } from '@subnetkit/transport';
import type { NeuronConfig } from '../../config/schema.js';
import { NeuronError } from '../../errors.js';
import { CallerIndex } from '../../miner/policy.js';
import { errorMessage, publishedIp } from '../shared.js';
import type { MinerNode, PublishedAxon } from './types.js';

/** True when the chain already has this IP, port and version for the axon. */
function sameAxon(
  onChain: { ip: string; port: number; version: number; isServing?: boolean } | undefined,
  wanted: PublishedAxon,
): boolean {
  return (
    onChain !== undefined &&
    onChain.ip === wanted.ip &&
    onChain.port === wanted.port &&
    onChain.version === wanted.version
  );
}

/**
 * Publishes the axon with `serve_axon` only when what the chain has differs (it is rate
 * limited), then re-reads the metagraph; returns what is published.
 */
export async function publishAxon<C extends NeuronConfig>(
  node: MinerNode<C>,
  axon: Axon,
): Promise<PublishedAxon> {
  const { config, chain, logger, netuid, uid } = node;
  const wanted: PublishedAxon = {
    ip: publishedIp(config),
    port: config.axon.externalPort ?? axon.port,
    version: axon.info().version,
  };
  if (sameAxon(node.metagraph.axons[uid], wanted)) {
    logger.info({ uid, axon: wanted }, 'axon already published on chain; not serving it again');
    return wanted;
  }
  try {
    const r = await chain.serveAxon(node.hotkey, { netuid, ...wanted, protocol: 4 });
    logger.info({ uid, axon: wanted, block: r.blockNumber }, 'axon published with serve_axon');
  } catch (error) {
    throw new NeuronError(
      'AXON_PUBLISH',
      `serve_axon for ${wanted.ip}:${wanted.port} failed: ${errorMessage(error)}${
        wanted.ip === '127.0.0.1'
          ? ' (subtensor refuses 127.0.0.1; on one machine publish another loopback address, e.g. --axon.external_ip 127.0.0.2)'
          : ''
      }`,
      { details: { field: 'axon.external_ip' }, cause: error },
    );
  }
  node.metagraph = await chain.getMetagraph(netuid);
  node.callers = new CallerIndex(node.metagraph);
  node.lastSync = node.metagraph.block;
  return wanted;
}
