// The status page: polls /api/meters every 2 s, and each meter's latest frame and power history; draws one
// card per meter. Same-origin requests: behind basic authentication the browser sends its credentials.
'use strict';

const REFRESH_MS = 2000;

// The main values of each family, in words; EASFnn and the historic indexes are the indexes per tariff.
const WORDS = {
  SINSTS: 'Apparent power', SINSTS1: 'Apparent power, phase 1', SINSTS2: 'Apparent power, phase 2',
  SINSTS3: 'Apparent power, phase 3', SINSTI: 'Apparent power injected', EAST: 'Energy drawn, total',
  EAIT: 'Energy injected, total', LTARF: 'Tariff period now', NGTF: 'Tariff option', PREF: 'Subscribed power',
  PCOUP: 'Breaking power', URMS1: 'Voltage, phase 1', URMS2: 'Voltage, phase 2', URMS3: 'Voltage, phase 3',
  IRMS1: 'Current, phase 1', IRMS2: 'Current, phase 2', IRMS3: 'Current, phase 3', NTARF: 'Tariff index now',
  PAPP: 'Apparent power', IINST: 'Current', IINST1: 'Current, phase 1', IINST2: 'Current, phase 2',
  IINST3: 'Current, phase 3', ISOUSC: 'Subscribed current', IMAX: 'Maximum current', OPTARIF: 'Tariff option',
  PTEC: 'Tariff period now', DEMAIN: 'Tempo colour tomorrow', ADPS: 'Subscribed current exceeded',
  BASE: 'Index base', HCHC: 'Index off-peak', HCHP: 'Index peak', EJPHN: 'Index EJP normal',
  EJPHPM: 'Index EJP peak-day', BBRHCJB: 'Index Tempo blue off-peak', BBRHPJB: 'Index Tempo blue peak',
  BBRHCJW: 'Index Tempo white off-peak', BBRHPJW: 'Index Tempo white peak', BBRHCJR: 'Index Tempo red off-peak',
  BBRHPJR: 'Index Tempo red peak', PTCOUR1: 'Tariff period now', 'EA_s': 'Active energy drawn, this period',
  'ER+_s': 'Reactive energy (+), this period', 'ER-_s': 'Reactive energy (-), this period',
  'EAPP_s': 'Apparent energy, this period', 'PA1_s': 'Mean active power, last 10 min', PA1MN: 'Mean active power, last minute',
};
for (let i = 1; i <= 10; i++) {
  WORDS['EASF' + String(i).padStart(2, '0')] = 'Index, supplier tariff ' + i;
}

// Coded values in words, the contract's French term first: the tariff period now (PTEC), Tempo colours
// (DEMAIN, and the STGE register's).
const TEMPO_WORDS = {
  NON_ANNONCE: 'Non annoncé (not announced)', BLEU: 'Bleu (blue)', BLANC: 'Blanc (white)', ROUGE: 'Rouge (red)',
};
const CODE_WORDS = {
  PTEC: {
    'TH..': 'Toutes heures (all hours)', 'HC..': 'Heures creuses (off-peak)', 'HP..': 'Heures pleines (peak)',
    'HN..': 'Heures normales (normal)', 'PM..': 'Heures de pointe mobile (mobile peak)',
    HCJB: 'Heures creuses, jour bleu (off-peak, blue day)', HPJB: 'Heures pleines, jour bleu (peak, blue day)',
    HCJW: 'Heures creuses, jour blanc (off-peak, white day)', HPJW: 'Heures pleines, jour blanc (peak, white day)',
    HCJR: 'Heures creuses, jour rouge (off-peak, red day)', HPJR: 'Heures pleines, jour rouge (peak, red day)',
  },
  DEMAIN: { '----': TEMPO_WORDS.NON_ANNONCE, BLEU: TEMPO_WORDS.BLEU, BLAN: TEMPO_WORDS.BLANC, ROUG: TEMPO_WORDS.ROUGE },
};

// STGE flags and Tempo colours worth an installer's eye; only the alarms are shown in red when set (an open
// dry contact is the supplier's switch at work, no fault).
const STGE_ALARMS = new Set(['cacheBorneOuvert', 'surtension', 'depassementPuissance', 'horlogeDegradee']);
const STGE_WORDS = {
  contactSecOuvert: 'Dry contact open', cacheBorneOuvert: 'Terminal cover open', surtension: 'Over-voltage',
  depassementPuissance: 'Power above the subscribed', horlogeDegradee: 'Clock degraded',
  couleurJour: 'Tempo colour today', couleurDemain: 'Tempo colour tomorrow', pointeMobile: 'Mobile peak',
};

const REASONS = ['CHECKSUM', 'INTERRUPTED', 'TRUNCATED', 'MALFORMED', 'TOO_LONG', 'WRONG_MODE'];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function row(list, term, value, label) {
  const dd = el('dd', 'value');
  if (label) dd.dataset.label = label;
  dd.append(value instanceof Node ? value : el('span', 'number', value));
  list.append(el('dt', null, term), dd);
}

function since(iso) {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return new Date(iso).toLocaleTimeString() + ' (' + seconds + ' s ago)';
}

function withUnit(group) {
  if (group.value !== null && typeof group.value === 'object') return group.raw;
  const value = typeof group.value === 'number' ? group.value.toLocaleString() : group.value;
  return group.unit ? value + ' ' + group.unit : value;
}

async function getJson(path) {
  // against the origin, not the page's URL: one opened as http://user:password@host/ would refuse to fetch
  const response = await fetch(new URL(path, location.origin), { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return response.json();
}

function healthCard(meter) {
  const health = meter.health || {};
  const diagnosis = health.diagnosis || { code: 'starting', level: 'info', text: 'Not sampled yet.' };
  const card = el('section', 'meter');
  card.dataset.meter = meter.name;
  const title = el('div', 'title');
  title.append(el('h2', null, meter.name), el('span', 'badge level-' + diagnosis.level,
    diagnosis.level === 'ok' ? health.status || 'UP' : diagnosis.code.replace(/-/g, ' ').toUpperCase()),
    el('span', 'muted', (meter.family || '?') + (meter.meterId ? ' · ' + meter.meterId : '')));
  const diag = el('p', 'diagnosis diag-' + diagnosis.level, diagnosis.text);
  diag.dataset.code = diagnosis.code;
  card.append(title, diag);

  const line = el('dl', 'line');
  row(line, 'Frames/s', health.framesPerSecond ?? '–', 'framesPerSecond');
  row(line, 'Last frame', since(health.lastFrameAt || meter.updatedAt), 'lastFrameAt');
  row(line, 'Frames', meter.frames);
  const rejected = health.framesRejected || {};
  const rejections = REASONS.filter(r => rejected[r] > 0).map(r => r.toLowerCase() + ' ' + rejected[r]);
  row(line, 'Rejected', rejections.length ? rejections.join(', ') : 'none', 'rejections');
  if (health.baudRate) row(line, 'Line', health.baudRate + ' Bd, ' + (health.bytesPerSecond ?? 0) + ' bytes/s');
  if (health.lastError && diagnosis.code !== 'cannot-open') row(line, 'Last error', health.lastError, 'lastError');
  card.append(line);
  return card;
}

function valuesBlock(frame) {
  const block = el('div', 'values');
  const list = el('dl');
  const groups = frame.groups || {};
  for (const label of Object.keys(WORDS)) {
    const group = groups[label];
    if (!group) continue;
    if (/^EASF\d\d$/.test(label) && group.value === 0) continue; // tariffs the contract does not use
    row(list, WORDS[label], (CODE_WORDS[label] || {})[group.value] || withUnit(group), label);
  }
  block.append(el('h3', null, 'Values'), list);
  const stge = groups.STGE && groups.STGE.value;
  if (stge && typeof stge === 'object') {
    const flags = el('dl');
    for (const [key, words] of Object.entries(STGE_WORDS)) {
      if (!(key in stge)) continue;
      const value = stge[key];
      const text = value === true ? 'yes' : value === false ? 'no' : TEMPO_WORDS[value] || value;
      const span = el('span', value === true && STGE_ALARMS.has(key) ? 'flag-on' : 'number', text);
      row(flags, words, span, 'STGE.' + key);
    }
    block.append(el('h3', null, 'Status register (STGE)'), flags);
  }
  if (frame.periods) block.append(periodsTable(frame));
  return block;
}

function periodsTable(frame) {
  const wrap = el('div');
  wrap.append(el('h3', null, 'Tariff periods' + (frame.tariffPeriod ? ' (now ' + frame.tariffPeriod + ')' : '')));
  const table = el('table');
  const periods = Object.keys(frame.periods);
  const labels = [...new Set(periods.flatMap(p => Object.keys(frame.periods[p])))];
  const head = el('tr');
  head.append(el('th', null, 'Label'), ...periods.map(p => el('th', null, p)));
  table.append(head);
  for (const label of labels) {
    const tr = el('tr');
    tr.append(el('td', null, label), ...periods.map(p => el('td', null,
      frame.periods[p][label] ? withUnit(frame.periods[p][label]) : '')));
    table.append(tr);
  }
  wrap.append(table);
  return wrap;
}

function chart(power) {
  const block = el('div', 'power');
  const points = power.points || [];
  block.append(el('h3', null, 'Power, last minutes' + (power.label ? ' (' + power.label + ', ' + (power.unit || '') + ')' : '')));
  if (points.length < 2) {
    block.append(el('p', 'muted', 'Not enough frames yet for a chart.'));
    return block;
  }
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('viewBox', '0 0 600 160');
  svg.setAttribute('preserveAspectRatio', 'none');
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  const values = points.map(p => p[1]);
  const low = Math.min(...values), high = Math.max(...values);
  const span = high - low || 1;
  const x = t => 40 + (t - t0) / ((t1 - t0) || 1) * 555;
  const y = v => 145 - (v - low) / span * 130;
  const polyline = document.createElementNS(ns, 'polyline');
  polyline.setAttribute('points', points.map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' '));
  const text = (tx, ty, words) => {
    const node = document.createElementNS(ns, 'text');
    node.setAttribute('x', tx);
    node.setAttribute('y', ty);
    node.textContent = words;
    return node;
  };
  const axis = document.createElementNS(ns, 'line');
  for (const [k, v] of Object.entries({ x1: 40, y1: 145, x2: 595, y2: 145 })) axis.setAttribute(k, v);
  svg.append(axis, polyline, text(0, 20, high.toLocaleString()), text(0, 145, low.toLocaleString()),
    text(40, 159, new Date(t0).toLocaleTimeString()), text(530, 159, new Date(t1).toLocaleTimeString()));
  block.append(svg);
  return block;
}

async function meterCard(meter) {
  const card = healthCard(meter);
  if (meter.frames > 0 && meter.meterId) {
    const name = encodeURIComponent(meter.name);
    const [frame, power] = await Promise.all([getJson('/api/meters/' + name),
      getJson('/api/meters/' + name + '/power').catch(() => ({ points: [] }))]);
    card.append(valuesBlock(frame), chart(power));
  }
  return card;
}

async function refresh() {
  const updated = document.getElementById('updated');
  try {
    const body = await getJson('/api/meters');
    const cards = await Promise.all(body.meters.map(meterCard));
    document.getElementById('meters').replaceChildren(...cards);
    updated.textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · every ' + REFRESH_MS / 1000 + ' s';
    updated.className = 'muted';
  } catch (e) {
    updated.textContent = 'The gateway does not answer (' + e.message + '); retrying every ' + REFRESH_MS / 1000 + ' s';
    updated.className = 'diagnosis diag-error';
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
