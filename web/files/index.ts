export { exportFileRoute } from './export-route.js';
