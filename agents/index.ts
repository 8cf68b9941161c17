/**
 * The guide (issue 15): its tools over the station's facts, the offline deterministic guide,
 * the LangChain agent on any OpenAI-compatible endpoint, and the milestone and pace texts.
 * Imports only core; the worker reads the store into `GuideFacts`.
 */
export type { GuideFacts, RunFacts, TurnContext } from './facts.js';
export { TOOLS, callTool, MalformedToolCall, type GuideButton, type GuideTool, type ToolResult, type ToolName } from './tools.js';
export { answerOffline, renderTool, clockLine, type GuideAnswer } from './offline.js';
export { answerWithModel, classifyFailure, isGrounded, numbersIn, forModel, HISTORY_TURNS, type GuideFailure, type ModelTurnOptions } from './agent.js';
export { createGuideModel, checkGuideEndpoint, type EndpointCheck } from './model.js';
export { nextAction, minutesLeft, type NextAction } from './next-action.js';
export { scrubForModel, ID_PLACEHOLDER } from './scrub.js';
export { newMilestones, milestoneText, paceReminder, type Announcement } from './milestones.js';
