// The compliance suite on a subnet with two synapses, one of them streaming: every check of
// both synapses, over every wire, and the chain check pass.
import { describeSubnetCompliance } from '../src/index.js';
import { twoSynapseSubnet } from './fixtures/two-synapse-subnet.js';

describeSubnetCompliance({ ...twoSynapseSubnet, wires: ['btauth', 'epistula', 'fiber'] });
