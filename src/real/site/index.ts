/** Real-mode site runs (`deploytwin real`): a site file, the real adapters, the orchestrator's four stages. */
export { loadSite, type Site, type Listen } from './load-site.ts';
export { siteSchema, type SiteFile } from './site-schema.ts';
export { runSite, SITE_STAGES, SITE_STAGE_ENTRY, type SiteStage, type SiteRunOptions, type SiteRunResult } from './run-site.ts';
export { sitePlan, BOOT_NETWORK } from './site-plan.ts';
export { SiteBootConfig, type NodeBinding } from './site-boot-config.ts';
export { SitePower } from './site-power.ts';
export { expandIpv4Range } from './ipv4-range.ts';
