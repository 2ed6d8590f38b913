import { workerData } from 'node:worker_threads';
import { postOutcome } from '../formats/node/start-worker';
import { drawFigureSvg, drawReportBody } from './draw';
import type { DrawRequest } from './render';

/** Worker side of `drawInWorker`: draws one report body or figure and posts the markup back. */
const request = workerData as DrawRequest;
postOutcome(request.kind === 'report' ? drawReportBody(request.model) : drawFigureSvg(request.model, request.choice));
