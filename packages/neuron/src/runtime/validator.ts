import { join } from 'node:path';
import {
  type Chain,
  isChainError,
  type Metagraph,
  randomSalt,
  type SubnetHyperparameters,
  type WeightsStatus,
} from '@subnetkit/chain';
import { createDendrite, type Dendrite } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { neuronStateDir } from '../config/paths.js';
import type { NeuronConfig } from '../config/schema.js';
import { taskKindsOf } from '../definitions.js';
import { isNeuronError } from '../errors.js';
import { ARTIFACTS_DIR, ArtifactStore } from '../evidence/artifacts.js';
import { EvidenceLog } from '../evidence/log.js';
import { loadOrCreateSecret } from '../evidence/seeds.js';
import { createLifecycle, type Lifecycle } from '../lifecycle.js';
import { createLogger } from '../logging.js';
import { toRao } from '../miner/policy.js';
import { ensurePrivateDir } from '../state/atomic.js';
import {
  createValidatorState,
  loadValidatorState,
  type PendingCommit,
  STATE_FILE,
  saveValidatorState,
  type ValidatorState,
} from '../state/validator-state.js';
import { RecentErrors, type StatusSnapshot, summarizeScores } from '../status-server.js';
import type { AnyValidatorDefinition, NeuronContext } from '../types.js';
import { runValidatorStep, type StepOutcome } from '../validator/step.js';
import { weightsDue, weightsFromScores } from '../validator/weights.js';
import { loadHotkey, notRegisteredError } from './registration.js';
import {
  connectChain,
  endpointOf,
  errorMessage,
  type RunComponents,
  type RunOptions,
  startStatusEndpoint,
} from './shared.js';

/** What the last weight submission did. */
export interface WeightsRecord {
  block: number;
  uids: number;
  mode: 'set' | 'commit';
  method: 'set_weights' | 'timelocked' | 'commit_reveal_v2';
  /** For commit-reveal v2: the block the reveal was included in, once revealed. */
  revealedAt?: number;
}

/** Events a running validator reports (tests and dashboards). */
export interface ValidatorEvents {
  onStep?(step: { step: number; block: number; outcomes: StepOutcome[] }): void;
  onWeights?(record: WeightsRecord): void;
  onError?(error: unknown, component: string): void;
}

/** A started validator. */
export interface RunningValidator {
  readonly lifecycle: Lifecycle;
  readonly chain: Chain;
  readonly hotkey: Keypair;
  readonly uid: number;
  readonly stateDir: string;
  readonly statusPort: number | null;
  /** The current (last saved) state. */
  state(): ValidatorState;
  status(): StatusSnapshot;
  /** Resolves when the loop has ended (after `stop()` or a signal). */
  readonly done: Promise<void>;
  stop(reason?: string): ReturnType<Lifecycle['shutdown']>;
}

/** subtensor's epoch index: epochs are offset by netuid + 1 and last tempo + 1 blocks. */
function epochIndex(tempo: number, netuid: number, block: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/**
 * Runs a validator: hotkey → chain → registration check → state (reloaded, or new; a corrupt
 * file is quarantined) + secret + evidence log → loop: metagraph sync every
 * `--neuron.epoch_length` blocks, one `runValidatorStep`, an atomic state save, then weights
 * when due (every epoch, after the chain's rate limit) through `chain.submitWeights`
 * (`set_weights`, or a timelocked commit when the subnet has commit-reveal); a subnet that only
 * takes hash commits (v2) gets `commit_weights` now and `reveal_weights` in its reveal epoch,
 * the salt kept in the state. Resolves once the loop runs.
 */
export async function runValidator<C extends NeuronConfig>(
  definition: AnyValidatorDefinition<C>,
  options: RunOptions<C>,
  components: RunComponents & { events?: ValidatorEvents } = {},
): Promise<RunningValidator> {
  const { config } = options;
  const role = options.role ?? 'validator';
  const now = components.now ?? Date.now;
  const startedAt = now();
  const netuid = config.netuid;
  const kinds = taskKindsOf(definition);
  const stateDir = neuronStateDir(config);
  await ensurePrivateDir(stateDir);
  const logger =
    components.logger ??
    createLogger({ logging: config.logging, base: { role, netuid }, stateDir }).logger;
  const lifecycle =
    components.lifecycle ??
    createLifecycle({ shutdownTimeoutMs: config.neuron.shutdownTimeout * 1000 }, { logger });
  const errors = new RecentErrors();
  const events = components.events ?? {};
  const report = (error: unknown, component: string) => {
    errors.push(error, component);
    events.onError?.(error, component);
  };

  const cleanups: Array<() => unknown> = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse())
      await Promise.resolve()
        .then(f)
        .catch(() => {});
  };
  try {
    const hotkey = components.hotkey ?? (await loadHotkey(config));
    const { chain, owned } = await connectChain(options, components, logger);
    if (owned) cleanups.push(() => chain.close());
    const uid = await chain.getUid(netuid, hotkey.ss58Address);
    if (uid === null) throw notRegisteredError(config, hotkey.ss58Address);

    // State: reloaded across restarts; a corrupt file is kept aside, never silently overwritten.
    const statePath = join(stateDir, STATE_FILE);
    const loaded = await loadValidatorState(statePath, {
      expect: { netuid, hotkey: hotkey.ss58Address },
      onCorrupt: 'quarantine',
    });
    if (loaded.quarantined) {
      logger.error(
        { quarantined: loaded.quarantined, err: loaded.error },
        'state file was corrupt: moved aside, starting with fresh scores',
      );
      report(loaded.error, 'state');
    }
    let state: ValidatorState =
      loaded.state ??
      createValidatorState({
        netuid,
        hotkey: hotkey.ss58Address,
        alpha: config.neuron.movingAverageAlpha,
      });
    if (loaded.state) {
      logger.info(
        {
          step: state.step,
          n: state.scores.scores.length,
          lastWeightsBlock: state.lastWeightsBlock,
        },
        'state reloaded',
      );
    }
    let pending: PendingCommit[] = [...(state.pendingCommits ?? [])];
    const secret = await loadOrCreateSecret(stateDir);
    if (secret.looseMode) {
      logger.warn(
        { path: secret.path },
        `validator secret is readable by others: chmod 600 ${secret.path}`,
      );
    }
    const evidence = new EvidenceLog({ dir: stateDir });
    cleanups.push(() => evidence.close());
    const artifacts =
      config.neuron.artifactsMaxMb > 0
        ? new ArtifactStore({
            dir: join(stateDir, ARTIFACTS_DIR),
            maxBytes: config.neuron.artifactsMaxMb * 1024 * 1024,
            maxAgeMs: config.neuron.artifactsMaxAgeHours * 3600 * 1000,
          })
        : null;
    const dendrite: Dendrite = createDendrite(
      { keypair: hotkey },
      { logger: logger.child({ component: 'dendrite' }) },
    );
    cleanups.push(() => dendrite.close());

    let metagraph: Metagraph = await chain.getMetagraph(netuid);
    let hyper: SubnetHyperparameters =
      metagraph.hyperparameters ?? (await chain.getHyperparameters(netuid));
    let lastSync = metagraph.block;
    let block = metagraph.block;
    let registered = true;
    let lastWeights: WeightsRecord | null = null;
    let lastStep: {
      step: number;
      block: number;
      queried: number;
      pass: number;
      fail: number;
      unverifiable: number;
    } | null = null;
    let weightsMethod: string | null = null;

    const neuron: NeuronContext<C> = {
      config,
      logger,
      signal: lifecycle.signal,
      chain,
      netuid,
      get uid() {
        return registered ? uid : null;
      },
      hotkey: hotkey.ss58Address,
      metagraph: () => metagraph,
    };

    // Saves are serialised: the step loop and the reveal watcher both persist.
    let saving: Promise<unknown> = Promise.resolve();
    const persist = (): Promise<void> => {
      const run = saving.then(async () => {
        state = await saveValidatorState(statePath, { ...state, pendingCommits: pending });
      });
      saving = run.catch(() => {});
      return run;
    };

    const syncMetagraph = async () => {
      const m = await chain.getMetagraph(netuid);
      metagraph = m;
      hyper = m.hyperparameters ?? (await chain.getHyperparameters(netuid));
      lastSync = m.block;
      const ours = m.hotkeys[uid] === hotkey.ss58Address;
      if (ours !== registered) {
        registered = ours;
        if (!ours) {
          report(notRegisteredError(config, hotkey.ss58Address), 'metagraph');
          logger.error({ uid }, `deregistered: uid ${uid} now belongs to ${m.hotkeys[uid]}`);
        }
      }
    };

    // Commit-reveal v2: reveal each pending commit in its reveal epoch (checked on every block).
    let revealing = false;
    const revealDue = async (head: number) => {
      if (revealing || pending.length === 0 || lifecycle.signal.aborted) return;
      revealing = true;
      try {
        const tempo = hyper.tempo;
        const period = hyper.commitRevealPeriod;
        const next = head + 1;
        for (const c of [...pending]) {
          const revealEpoch = epochIndex(tempo, netuid, c.commitBlock) + period;
          const epoch = epochIndex(tempo, netuid, next);
          if (epoch < revealEpoch) continue;
          pending = pending.filter((p) => p !== c);
          if (epoch > revealEpoch) {
            report(
              new Error(`weights commit of block ${c.commitBlock} expired unrevealed`),
              'weights',
            );
            logger.warn({ commitBlock: c.commitBlock }, 'weights commit expired before its reveal');
            continue;
          }
          try {
            const r = await chain.revealWeights(hotkey, {
              netuid,
              uids: c.uids,
              weights: c.weights,
              salt: c.salt,
              versionKey: BigInt(c.versionKey),
            });
            logger.info({ commitBlock: c.commitBlock, block: r.blockNumber }, 'weights revealed');
            if (lastWeights && lastWeights.block === c.commitBlock)
              lastWeights.revealedAt = r.blockNumber;
            events.onWeights?.({
              block: c.commitBlock,
              uids: c.uids.length,
              mode: 'commit',
              method: 'commit_reveal_v2',
              revealedAt: r.blockNumber,
            });
          } catch (error) {
            report(error, 'weights');
            logger.error({ err: error, commitBlock: c.commitBlock }, 'reveal_weights failed');
          }
        }
        await persist();
      } finally {
        revealing = false;
      }
    };

    const setWeights = async (status: WeightsStatus) => {
      const emit = weightsFromScores(state.scores.scores, {
        n: state.scores.scores.length,
        minAllowedWeights: hyper.minAllowedWeights,
        maxWeightsLimit: hyper.maxWeightsLimit,
      });
      if (emit.uids.length === 0) return;
      const params = {
        netuid,
        uids: emit.uids,
        weights: emit.weights,
        versionKey: status.versionKey,
      };
      try {
        const r = await chain.submitWeights(hotkey, params);
        weightsMethod = r.method;
        lastWeights = {
          block: r.blockNumber,
          uids: emit.uids.length,
          mode: r.method === 'set_weights' ? 'set' : 'commit',
          method: r.method,
        };
      } catch (error) {
        if (!isChainError(error, 'COMMIT_REVEAL_V2_REQUIRED')) throw error;
        // Hash commit: keep the weights and the salt (in the state) until the reveal epoch.
        const salt = randomSalt();
        const r = await chain.commitWeights(hotkey, { ...params, salt });
        pending.push({
          uids: emit.uids,
          weights: emit.weights,
          salt: r.salt,
          versionKey: String(status.versionKey),
          commitBlock: r.blockNumber,
          commitHash: r.commitHash,
        });
        weightsMethod = 'commit_reveal_v2';
        lastWeights = {
          block: r.blockNumber,
          uids: emit.uids.length,
          mode: 'commit',
          method: 'commit_reveal_v2',
        };
      }
      state = { ...state, lastWeightsBlock: lastWeights.block };
      await persist();
      logger.info(
        { ...lastWeights, allZero: emit.allZero, branch: emit.branch },
        lastWeights.mode === 'set' ? 'weights set' : 'weights committed',
      );
      events.onWeights?.(lastWeights);
    };

    const maybeSetWeights = async () => {
      if (!registered) return;
      const status = await chain.getWeightsStatus(netuid, hotkey.ss58Address);
      block = Math.max(block, status.currentBlock);
      const decision = weightsDue({
        block: status.currentBlock,
        lastWeightsBlock: state.lastWeightsBlock,
        epochLength: config.neuron.epochLength,
        chainBlocksLeft: status.blocksLeft,
        disabled: config.neuron.disableSetWeights,
        anyScore: state.scores.scores.some((s) => s > 0),
      });
      if (!decision.due) {
        logger.debug(
          { reason: decision.reason, blocksLeft: decision.blocksLeft },
          'weights not due',
        );
        return;
      }
      await setWeights(status);
    };

    const step = async () => {
      if (block - lastSync >= config.neuron.epochLength) await syncMetagraph();
      if (!registered) return;
      const stepOptions: Parameters<typeof runValidatorStep<C>>[0] = {
        definition,
        state,
        secret: secret.secret,
        metagraph,
        neuron,
        sampleSize: config.neuron.sampleSize,
        timeoutS: config.neuron.timeout,
        selfUid: uid,
        validatorStakeLimit: toRao(config.neuron.vpermitTaoLimit),
      };
      const result = await runValidatorStep(stepOptions, {
        dendrite,
        evidence,
        ...(artifacts ? { artifacts } : {}),
      });
      state = { ...result.state, block };
      for (const e of result.errors) {
        report(e.error, `validator:${e.stage}`);
        logger.warn(
          { err: e.error, uid: e.uid, stage: e.stage },
          'validator error (no miner was penalised)',
        );
      }
      const count = (s: string) => result.outcomes.filter((o) => o.verdict.status === s).length;
      lastStep = {
        step: state.step - 1,
        block,
        queried: result.outcomes.length,
        pass: count('pass'),
        fail: count('fail'),
        unverifiable: count('unverifiable'),
      };
      await persist();
      logger.info(lastStep, 'step done');
      events.onStep?.({ step: state.step - 1, block, outcomes: result.outcomes });
      if (lifecycle.signal.aborted) return;
      try {
        await maybeSetWeights();
      } catch (error) {
        report(error, 'weights');
        logger.error({ err: error }, `setting weights failed: ${errorMessage(error)}`);
      }
    };

    const unsubscribe = await chain.subscribeBlocks((b) => {
      block = Math.max(block, b.number);
      if (pending.length > 0 && !lifecycle.signal.aborted) {
        void lifecycle.track(revealDue(b.number)).catch((error) => {
          if (!isNeuronError(error, 'SHUTTING_DOWN')) report(error, 'weights');
        });
      }
    });

    const status = (): StatusSnapshot => ({
      role,
      hotkey: hotkey.ss58Address,
      uid: registered ? uid : null,
      netuid,
      block,
      step: state.step,
      endpoint: endpointOf(config),
      tasks: kinds.map((k) => ({
        name: k.name,
        synapse: k.protocol.name,
        streaming: k.protocol.streaming,
        weight: k.weight,
        taskMode: k.taskMode,
      })),
      scores: summarizeScores(state.scores.scores),
      lastWeights: lastWeights
        ? { block: lastWeights.block, uids: lastWeights.uids, mode: lastWeights.mode }
        : state.lastWeightsBlock !== null
          ? { block: state.lastWeightsBlock, uids: 0, mode: 'set' }
          : null,
      lastWeightsBlock: state.lastWeightsBlock,
      weightsMethod,
      pendingCommits: pending.length,
      lastStep,
      metagraph: { block: metagraph.block, n: metagraph.n },
      stateDir,
      uptimeSeconds: Math.round((now() - startedAt) / 1000),
      recentErrors: errors.list(),
    });
    const { port: statusPort, stop: stopStatus } = await startStatusEndpoint(
      config,
      status,
      logger,
      cleanups,
      artifacts ? (sha256) => artifacts.get(sha256) : undefined,
    );

    // Shutdown: stop the loop and block watch, let the step finish (its queries are cancelled
    // by the abort signal and count as the validator's own failure), persist, then close.
    lifecycle.onShutdown('stop', 'blocks', unsubscribe);
    if (owned) lifecycle.onShutdown('close', 'chain', () => chain.close());
    lifecycle.onShutdown('close', 'dendrite', () => dendrite.close());
    if (stopStatus) lifecycle.onShutdown('close', 'status', stopStatus);
    lifecycle.onShutdown('persist', 'evidence', () => evidence.close());
    lifecycle.onShutdown('persist', 'state', persist);

    const stepIntervalMs = config.neuron.stepInterval * 1000;
    const done = (async () => {
      while (!lifecycle.signal.aborted) {
        try {
          await lifecycle.track(step());
        } catch (error) {
          if (isNeuronError(error, 'SHUTTING_DOWN')) break;
          report(error, 'step');
          logger.error({ err: error }, `validator step failed: ${errorMessage(error)}`);
        }
        if (!(await lifecycle.sleep(stepIntervalMs))) break;
      }
    })();

    logger.info(
      { uid, hotkey: hotkey.ss58Address, stateDir, step: state.step, status: statusPort },
      `${role} running on subnet ${netuid}`,
    );
    return {
      lifecycle,
      chain,
      hotkey,
      uid,
      stateDir,
      statusPort,
      state: () => state,
      status,
      done,
      stop: (reason = 'stop') => lifecycle.shutdown(reason),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
