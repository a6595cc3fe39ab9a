// Money in the community's currency and times in the browser's local time; integers in, text out.

export function money(minor, currency, digits) {
  const value = Number(minor) / 10 ** digits;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${currency}`;
  }
}

/** A price in millionths of a minor unit per kWh, in major units per kWh with two more digits than money. */
export function pricePerKwh(micros, currency, digits) {
  if (micros === null || micros === undefined) return '–';
  return `${(Number(micros) / 1e6 / 10 ** digits).toFixed(digits + 2)} ${currency}/kWh`;
}

/** A tariff in minor units per kWh. */
export function tariff(minorPerKwh, currency, digits) {
  return `${(Number(minorPerKwh) / 10 ** digits).toFixed(digits)} ${currency}/kWh`;
}

export const kwh = wh => `${(Number(wh) / 1000).toFixed(2)} kWh`;
export const watts = w => `${Math.round(w)} W`;

export const localTime = unixSeconds =>
  new Date(unixSeconds * 1000).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export const localDay = date => new Date(`${date}T12:00:00`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** Minutes east of UTC now, as the API's offsetMinutes. */
export const offsetMinutes = (at = new Date()) => -at.getTimezoneOffset();

/** Unix seconds of today's local midnight. */
export function localMidnight(now = new Date()) {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return Math.floor(midnight.getTime() / 1000);
}
