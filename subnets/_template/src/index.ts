export { type TemplateConfig, templateConfigSchema } from './config.js';
export { type DummyBackend, HttpBackend, OfflineBackend } from './miner/backend.js';
export { backendFromConfig, createTemplateMiner } from './miner/miner.js';
export { Dummy, type DummySynapse } from './protocol.js';
export { createTemplateValidator, MAX_INPUT } from './validator/validator.js';
