import type { FastifyInstance } from 'fastify';
import { intakeRoutes } from './intake.routes';
import './intake.files'; // registers the file access rule for project materials
import './intake.notifications'; // tells the window and the registrant about submissions, returns, acceptance

/** 项目入场登记: registration of projects and their lots, the intake window (一次告知, 绿色通道). */
export default async function intakeModule(app: FastifyInstance): Promise<void> {
  await intakeRoutes(app);
}

export { projectCode } from './intake.rules';
export type { ProjectStatus } from './intake.tables';
// Commands, for the demo seed and other in-process callers (each is one transaction with ledger + outbox).
export { registerProject, updateProject, type RegistrationInput } from './commands/register';
export { accept, acceptGreen, returnProject, submit, supply } from './commands/transitions';
