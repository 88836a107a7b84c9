import type { Command } from 'commander';
import { registerScan } from './scan.js';
import { registerEval } from './eval.js';
import { registerProvenance } from './provenance.js';
import { registerSim } from './sim.js';
import { registerCalibrate } from './calibrate.js';
import { registerGateway } from './gateway.js';
import { registerIntel } from './intel.js';
import { registerServe } from './serve.js';
import { registerReport } from './report.js';
import { registerCluster } from './cluster.js';

// Commands `await import` their implementation when they run, so no command (nor --help) starts slowly loading all the others.
/** Each command registers itself on the program; the list is explicit, never an import side effect. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  registerScan,registerEval,registerProvenance, registerSim, registerGateway, registerCalibrate, registerIntel, registerServe, registerReport, registerCluster];
