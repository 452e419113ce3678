/** A tiny CPU trend, 0–100 %, oldest first: inline SVG, no library. The numbers are in the row's own cells. */
export function Sparkline({ values, width = 80, height = 20 }: { values: number[]; width?: number; height?: number }) {
  if (values.length < 2) return <svg className="spark" width={width} height={height} aria-hidden="true" />;
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline fill="none" stroke="currentColor" strokeWidth="1.2" points={sparkPoints(values, width, height)} />
    </svg>
  );
}

export function sparkPoints(values: number[], width: number, height: number): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const clamped = Math.min(100, Math.max(0, v));
      return `${(i * step).toFixed(1)},${(height - 1 - (clamped / 100) * (height - 2)).toFixed(1)}`;
    })
    .join(' ');
}
