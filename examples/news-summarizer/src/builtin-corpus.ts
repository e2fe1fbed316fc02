import { Rng } from '@aiffel/runtime';
import type { NewsPair } from './news-data.js';

/**
 * A small BUILT-IN SYNTHETIC corpus of our own making, used when no --data is given so the example
 * runs anywhere: short invented news items made from templates (sport results, company results,
 * policy announcements, weather, product launches, appointments), each with the headline a desk
 * editor would write. Every name in it is invented. It exists to show the pipeline end to end;
 * the scores it gives say nothing about real news.
 */
const TEAMS = [
  'Riverton Rovers',
  'Kestrel United',
  'Port Alder',
  'Granite City',
  'Northfield Athletic',
  'Lakeshore Wanderers',
  'Eastbrook Rangers',
  'Milltown Albion',
];
const EVENTS = ['cup final', 'league opener', 'semi final', 'derby', 'title decider', 'quarter final'];
const PLAYERS = ['Ada Mensah', 'Luis Ortega', 'Mira Castell', 'Tomas Brandt', 'Priya Nair', 'Jonah Webb'];
const COMPANIES = ['Velora Systems', 'Quillon Foods', 'Brightwave Energy', 'Harbor Freight Lines', 'Norbury Pharma', 'Cobalt Mobile'];
const PRODUCTS = ['electric scooters', 'frozen meals', 'solar panels', 'container shipping', 'vaccines', 'budget phones'];
const CHANGES = [
  ['rose', 'strong demand for'],
  ['fell', 'weak demand for'],
];
const LEADERS = ['Prime Minister Elena Voss', 'President Karim Adeyemi', 'Chancellor Ruth Lindqvist', 'Governor Samuel Ochoa'];
const COUNTRIES = ['Norland', 'Castovia', 'the Southern Isles', 'Westmark'];
const POLICIES = ['housing', 'clean water', 'rural broadband', 'school meals', 'road safety', 'pension'];
const CITIES = ['Ashford', 'Belmere', 'Corran', 'Dunmore', 'Elsworth', 'Fairhaven'];
const WEATHER = [
  ['floods', 'heavy rain', 'Rivers burst their banks and hundreds of homes were evacuated'],
  ['heatwave', 'record temperatures', 'Hospitals reported a rise in heatstroke cases'],
  ['snowstorm', 'heavy snow', 'Schools were closed and flights were cancelled'],
];
const GADGETS = ['smartwatch', 'folding phone', 'home robot', 'electric car', 'tablet'];
const ROLES = ['chief executive', 'finance chief', 'head coach', 'chief scientist'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function builtinCorpus(n: number, seed = 7): NewsPair[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.random() * xs.length)] as T;
  const makers: (() => [string, string])[] = [
    () => {
      const [a, b] = [pick(TEAMS), pick(TEAMS)];
      const other = b === a ? (TEAMS[(TEAMS.indexOf(a) + 1) % TEAMS.length] as string) : b;
      const ev = pick(EVENTS);
      const p = pick(PLAYERS);
      return [
        `${a} beat ${other} in the ${ev} on ${pick(DAYS)}. ${p} scored twice as ${a} controlled the game in front of a full stadium. Fans of ${other} left early after a poor second half.`,
        `${a} beat ${other} in ${ev}`,
      ];
    },
    () => {
      const c = pick(COMPANIES);
      const [verb, why] = pick(CHANGES) as [string, string];
      const prod = pick(PRODUCTS);
      return [
        `${c} said on ${pick(DAYS)} that quarterly profit ${verb} sharply, citing ${why} ${prod}. Shares of ${c} moved in early trading. Analysts said the results for ${prod} were a surprise.`,
        `${c} profit ${verb === 'rose' ? 'rises' : 'falls'} on ${prod}`,
      ];
    },
    () => {
      const l = pick(LEADERS);
      const c = pick(COUNTRIES);
      const pol = pick(POLICIES);
      return [
        `${l} on ${pick(DAYS)} announced a new ${pol} plan for ${c}. The plan will be debated in parliament next month. Opposition leaders said the ${pol} plan came too late.`,
        `${l.split(' ').slice(-2).join(' ')} unveils ${pol} plan for ${c}`,
      ];
    },
    () => {
      const [event, cause, effect] = pick(WEATHER) as [string, string, string];
      const city = pick(CITIES);
      return [
        `${cause} hit ${city} on ${pick(DAYS)}, bringing ${event} to the region. ${effect}. Officials in ${city} said more ${cause} is expected this week.`,
        `${event} hit ${city}`,
      ];
    },
    () => {
      const c = pick(COMPANIES);
      const g = pick(GADGETS);
      return [
        `${c} unveiled its first ${g} at an event on ${pick(DAYS)}. The ${g} will go on sale next month. ${c} said it expects strong demand.`,
        `${c} launches ${g}`,
      ];
    },
    () => {
      const c = pick([...COMPANIES, ...TEAMS]);
      const r = pick(ROLES);
      const p = pick(PLAYERS);
      return [
        `${c} named ${p} as its new ${r} on ${pick(DAYS)}. ${p} replaces a predecessor who left last year. The board of ${c} said the choice was unanimous.`,
        `${c} names ${p} ${r}`,
      ];
    },
  ];
  return Array.from({ length: n }, () => {
    const [text, headline] = pick(makers)();
    return { text, headline, source: 'built-in synthetic' };
  });
}
