// Preloaded into every process the market starts (`node --import <this file>`): if the market
// process disappears (SIGKILL, crash), the child shuts itself down instead of running on as an
// orphan. It sends itself SIGTERM (the neuron's graceful path), then exits after a grace period.
const parent = Number(process.env.SUBNETKIT_MARKET_PID);
if (Number.isInteger(parent) && parent > 1) {
  const startedUnderParent = process.ppid === parent;
  const alive = () => {
    // Reparented: the market is gone even if it lingers as an unreaped zombie.
    if (startedUnderParent && process.ppid !== parent) return false;
    try {
      process.kill(parent, 0);
      return true;
    } catch (e) {
      return e?.code === 'EPERM';
    }
  };
  const timer = setInterval(() => {
    if (alive()) return;
    clearInterval(timer);
    process.stderr.write(`[orphan-guard] market process ${parent} is gone; stopping\n`);
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}
