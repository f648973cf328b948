import { notYet } from '../command.js';

export const command = notYet('report', 'Render a findings file to html/pdf and other formats', 'report rendering is being built');
