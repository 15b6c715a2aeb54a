/** Drops bots, crawlers and headless browsers (isbot plus headless markers isbot leaves alone). */
import { isbot } from 'isbot';

const HEADLESS = /headless|phantomjs|electron\/|puppeteer|playwright|selenium|lighthouse|chrome-lighthouse/i;

export function isBotUserAgent(userAgent: string): boolean {
  if (!userAgent.trim()) return true;
  return isbot(userAgent) || HEADLESS.test(userAgent);
}
