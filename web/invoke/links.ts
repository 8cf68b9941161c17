/** The visual page's address: defined in core (the chat's `/deploy` shows it too). */
export { invokePageUrl } from '../../core/index.js';
