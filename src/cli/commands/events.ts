import { notYet } from '../command.js';

export const command = notYet('events', 'Search event history: who did what, when, from where', 'event search is being built');
