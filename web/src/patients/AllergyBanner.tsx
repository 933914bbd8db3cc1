// The patient's allergies, shown prominently at the top of the chart.
import type { Allergy } from '../api/types';

export function AllergyBanner({ allergies }: { allergies: Allergy[] }) {
  if (!allergies.length) {
    return (
      <section class="allergy-banner allergy-banner--none" aria-label="Allergies">
        <strong>Allergies:</strong> none recorded
      </section>
    );
  }
  return (
    <section class="allergy-banner" aria-labelledby="allergy-title">
      <h2 id="allergy-title">
        <span aria-hidden="true">⚠ </span>Allergies ({allergies.length})
      </h2>
      <ul>
        {allergies.map((a, i) => (
          <li key={i}>
            <strong>{a.substance}</strong>
            {' — '}
            <span class={`severity severity--${a.severity}`}>{a.severity}</span>
            {a.reaction ? `: ${a.reaction}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
