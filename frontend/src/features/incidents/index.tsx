export function IncidentsPage() {
  return <h1>Incidents</h1>;
}
export function IncidentPage() {
  return <h1>Incident</h1>;
}
