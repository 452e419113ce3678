export { IncidentsPage } from './IncidentsPage';
export { IncidentPage } from './IncidentPage';
