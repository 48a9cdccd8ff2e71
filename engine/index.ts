/** The engine's public step API: the only module steps and plugins import from the engine. */

export type { CommandDefinition, CommandIO } from './command.js';
export type { SourceLocation } from './errors.js';
export { AsterismError, InternalError, StepInputError } from './errors.js';
export type { JsonSchema, ParamsOf } from './params-type.js';
export type {
  AnyStepDefinition,
  StepContext,
  StepDefinition,
  StepLogger,
  StepOutputs,
  StepProvenance,
  StepResources,
} from './step.js';
export { defineStep } from './step.js';
