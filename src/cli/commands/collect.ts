import { notYet } from '../command.js';

export const command = notYet('collect', 'Collect evidence from AWS into a bundle', 'live collection is being built; audit a bundle with --bundle');
