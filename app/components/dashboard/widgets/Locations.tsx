/** Locations report: countries, regions, cities. */
'use client';

import { BreakdownCard } from '../BreakdownCard';
import { countryFlag, countryName } from '../format';

const country = (code: string) => (
  <>
    <span aria-hidden="true">{countryFlag(code)} </span>
    {countryName(code)}
  </>
);

export function Locations() {
  return (
    <BreakdownCard
      title="Locations"
      tabs={[
        { id: 'countries', label: 'Countries', property: 'visit:country', column: 'Country', renderValue: country },
        { id: 'regions', label: 'Regions', property: 'visit:region', column: 'Region' },
        { id: 'cities', label: 'Cities', property: 'visit:city', column: 'City' },
      ]}
    />
  );
}
