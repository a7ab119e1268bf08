// Calendar commands for the operator CLI (filled in with the calendar service).
import type { Command } from '../../cli.ts';

export const calendarCommands: Record<string, Command> = {};
