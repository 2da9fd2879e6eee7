/** The stages of a site run, and the journal entry that marks each one's start and end (read by `serve --real`). */
export const SITE_STAGES = ['discover', 'commission', 'configure', 'deploy'] as const;
export type SiteStage = (typeof SITE_STAGES)[number];
export const SITE_STAGE_ENTRY = 'site.stage';
