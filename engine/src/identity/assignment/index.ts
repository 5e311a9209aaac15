export { OrganisationAssignmentResolver } from './organisation-resolver.js';
