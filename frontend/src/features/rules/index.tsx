// The rules pages (lazily loaded at /rules/*): the rule files with their load status, and the DRL editor with
// validation, saving and backtests. CodeMirror and uPlot are only in this chunk.
import { Route, Routes } from 'react-router-dom';
import { RuleFilesPage } from './RuleFilesPage';
import { RuleEditorPage } from './RuleEditorPage';
import './styles.css';

export default function RulesPage() {
  return (
    <Routes>
      <Route index element={<RuleFilesPage />} />
      <Route path=":file" element={<RuleEditorPage />} />
    </Routes>
  );
}
