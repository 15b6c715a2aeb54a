/**
 * POST /api/event. The custom server (server.ts) calls the same handler
 * directly for speed; this route serves it when Next handles the request.
 */
import { handleEvent, handleEventOptions } from '@/lib/ingest/handler';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = (req: Request) => handleEvent(req);
export const OPTIONS = () => handleEventOptions();
