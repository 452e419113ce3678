export function ActionsPage() {
  return <h1>Actions</h1>;
}
