export function HostPage() {
  return <h1>Host</h1>;
}
