export { InstanceRuntime, type OpenWork } from './runtime.js';
export { cancelCallingActivity } from './call-activity.js';
export { visibleFrom } from './variables.js';
export type { AsyncContinuationConfig } from './async-continuation.js';
export { eventTriggered, throwBpmnError, type BpmnError } from './events.js';
export { fireAssigneeChanged, fireTaskCompleted } from './listeners.js';
export { broadcastSignal, type SignalDelivery } from './signals.js';
export { previousLatest, startByEvent, takeOverStartEvents, type EventStart } from './start-events.js';
export { DEFAULT_JOB_RETRIES, parseRetryCycle, type RetryCycle } from './job-rows.js';
