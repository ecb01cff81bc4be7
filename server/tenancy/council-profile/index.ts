export { getCouncilProfile, getCouncilLogo, updateCouncilProfile, setCouncilLogo } from "./council-profile.ts";
export { councilProfileSchema, type CouncilProfileInput, type CouncilProfileView } from "./profile.schema.ts";
export { checkLogo, LOGO_MAX_BYTES, type LogoContentType } from "./logo.ts";
export { colourProblem, contrastWithWhite, MIN_CONTRAST_WITH_WHITE } from "./colour.ts";
