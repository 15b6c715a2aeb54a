/** pino JSON logger shared by every part of the process. */
import pino from 'pino';

export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { svc: 'sightline' },
});
