/** The proctor's projector page and its JSON (signed link from `/stations`, or a proctor's Telegram initData). */
export { proctorRoutes, proctorAccess, proctorPage, PROCTOR_PATHS, PROCTOR_REFRESH_S, type ProctorDeps } from './routes.js';
