// Luhn (ISO/IEC 7812-1) check digit, as on bank card numbers.

/** The check digit for the digits before it. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(card: string): boolean {
  return /^\d{12,19}$/.test(card) && luhnCheckDigit(card.slice(0, -1)) === card.slice(-1);
}
