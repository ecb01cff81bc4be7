export { goLiveChecklist, GO_LIVE_MAX_DAYS_AHEAD, type GoLiveCheck, type GoLiveCheckKey } from "./go-live-checklist.ts";
export {
  scheduleGoLive,
  GoLiveRefused,
  goLiveRequestSchema,
  type GoLiveInput,
  type GoLiveScheduled,
} from "./schedule-go-live.ts";
export { applyDueGoLives, type DueGoLives } from "./apply-due-go-lives.ts";
export { applyDueGoLivesJob } from "./apply-due-go-lives.job.ts";
export { cancelGoLive, revertGoLive } from "./close-go-live.ts";
export { goLiveOverview } from "./go-live-overview.ts";
