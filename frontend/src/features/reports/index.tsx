// The reports (lazily loaded at /reports/*): overview, incidents, actions and hosts over a range, with their
// tables and daily series as the server computes them, and CSV/JSON downloads. uPlot is only in this chunk.
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ReportPage } from './ReportPage';
import './styles.css';

function ToOverview() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/reports/overview', search }} replace />;
}

export default function ReportsPage() {
  return (
    <Routes>
      <Route index element={<ToOverview />} />
      <Route path=":name" element={<ReportPage />} />
    </Routes>
  );
}
