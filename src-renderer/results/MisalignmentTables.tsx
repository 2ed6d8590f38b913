import { MISALIGNMENT_COLUMNS, type MisalignmentTable } from '../../src-main/common/misalignment';

/** The paper's comparison as the CLI prints it (tppw study misalignment), one table per threshold and calibration. */
export function MisalignmentTables({ tables }: { tables: readonly MisalignmentTable[] }) {
  return (
    <section className="card" aria-labelledby="misalignment-title">
      <h3 id="misalignment-title">Temporal misalignment: the paper's comparison</h3>
      <p className="muted">Accuracy in %, Δ in percentage points (± std over seeds, taken seed by seed); latency in steps until the readout.</p>
      {tables.map((t) => (
        <table key={t.block} className="table compact" aria-label={`misalignment, ${t.block}`}>
          <caption>
            {t.block} (ANN {(100 * t.ann).toFixed(2)}%)
          </caption>
          <thead>
            <tr>
              {MISALIGNMENT_COLUMNS.map((c) => (
                <th key={c.label} title={c.title} className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.T}>
                {MISALIGNMENT_COLUMNS.map((c) => (
                  <td key={c.label} className="num">
                    {c.value(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
