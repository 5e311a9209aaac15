export { ASSIGNMENT_MESSAGE, AssignExchangeTaskCmd, assignmentVariables, type AssignmentInput, type AssignmentLocation, type AssignmentOutcome } from './assignments.js';
export { ExchangeService, type AssignmentState, type AssignmentStatus } from './exchange-service.js';
export { EXCHANGE_ASSIGNMENT, type ExchangeAssignmentEntity } from './tables.js';
