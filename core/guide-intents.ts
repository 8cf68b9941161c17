import { isWhatNext } from './next-step.js';

/** Topics of the exam digest the guide's rules tool answers. */
export const RULE_TOPICS = ['capture', 'cleaning', 'labeling', 'acceptance', 'dataset', 'training', 'deploy', 'reports', 'handin', 'timing'] as const;
export type RuleTopic = (typeof RULE_TOPICS)[number];
/** Metrics the guide explains. */
export const METRICS = ['map50', 'map5095', 'precision', 'recall', 'loss', 'accuracy', 'iou', 'ap'] as const;
export type MetricName = (typeof METRICS)[number];
/** Commands the guide explains (the product's own, as `/help` lists them). */
export const HOWTO_COMMANDS = ['start', 'plan', 'capture', 'clean', 'label', 'check', 'review', 'dataset', 'import', 'report1', 'train', 'models', 'deploy', 'predict', 'report2', 'handin', 'lang', 'timer', 'status', 'ask'] as const;
export type HowtoCommand = (typeof HOWTO_COMMANDS)[number];

/**
 * The offline guide's understanding (issue 15): a question (Chinese or English) → the guide
 * tool that answers it with its arguments. Deterministic regular expressions over common
 * phrasings; an unknown question is `unknown` (the guide then lists what it can answer). Pure,
 * so the bot can tell at once that the offline guide has nothing to say.
 */
export type Intent =
  | { tool: 'get_progress' | 'next_step' | 'training_advice' | 'training_status' | 'deliverables_status' | 'exam_clock' | 'draw_review_sample'; args: Record<string, never> }
  | { tool: 'why_rejected'; args: { photoId?: number } }
  | { tool: 'exam_rules'; args: { topic: RuleTopic } }
  | { tool: 'explain_metric'; args: { metric: MetricName } }
  | { tool: 'command_help'; args: { command: HowtoCommand } }
  | { tool: 'start_training'; args: { preset: 'fast' | 'balanced' | 'accurate' } }
  | { tool: 'deploy_model'; args: { runId?: string } }
  | { tool: 'unknown'; args: Record<string, never> };

const none = {} as Record<string, never>;

const ACT_TRAIN = /(开始|启动|帮我|现在)训练|训练(吧|一下|模型吧)|start (the )?training|train (it |the model |a model )?now|^train (the|a) model|start a (training )?run/;
const ACT_DEPLOY = /(帮我|现在|开始)部署|部署(吧|一下|它)|^deploy( it| the model| now| my model)?$|deploy (it|the model|my model) now/;
const ACT_SAMPLE = /(帮我|开始|现在)?抽(样|检|取样本)(吧|一下)?$|draw (the |a )?(review )?sample|start the review/;

const METRIC: Array<[RegExp, MetricName]> = [
  [/map ?50 ?[:：-] ?95|map@?0?\.5 ?[:：] ?0?\.95|map5095/, 'map5095'],
  [/\bmap\b|map ?50|map@|平均精度/, 'map50'],
  [/精确率|查准率|precision/, 'precision'],
  [/召回率?|查全率|recall/, 'recall'],
  [/损失|loss/, 'loss'],
  [/\biou\b|交并比/, 'iou'],
  [/准确率|accuracy/, 'accuracy'],
  [/\bap\b/, 'ap'],
];
const MEANING = /什么意思|是什么|啥意思|含义|意味|解释|怎么理解|说明什么|怎么算|怎么计算|如何计算|mean|what is|what's|what are|explain|definition|stand for|calculated|computed/;

const RULE_WORDS = /规则|要求|规定|评分|得分|分数|几分|扣分|考什么|考试.*(怎么|多少|几)|rules?\b|require|scor|points?\b|graded|judged|exam say/;
const TOPIC: Array<[RegExp, RuleTopic]> = [
  [/清洗|clean/, 'cleaning'],
  [/验收|抽检|抽样|准确率|合格|qualified|acceptance|accuracy|sample/, 'acceptance'],
  [/标注|标签|框|label|box/, 'labeling'],
  [/采集|拍摄|拍照|照片|张|capture|photo|picture/, 'capture'],
  [/数据集|dataset/, 'dataset'],
  [/部署|调用|服务|deploy|service|invocation/, 'deploy'],
  [/训练|模型|参数|train|model|parameter/, 'training'],
  [/报告|report/, 'reports'],
  [/提交|交卷|上交|u盘|文件夹|身份证|hand-?in|usb|folder|submit/, 'handin'],
  [/时间|多久|多长|分钟|time|long|minutes/, 'timing'],
];
/** Rule questions that name no "rule" word but can only be about the rules. */
const RULE_PHRASES: Array<[RegExp, RuleTopic]> = [
  [/(需要|要)拍?多少张|一共.*多少张|how many photos (do|must|should) i|how many pictures (do|must)/, 'capture'],
  [/什么(样的)?框(才)?算合格|怎样算合格|what counts as (a )?(qualified|good|correct)|when is a box (qualified|ok)/, 'acceptance'],
  [/考试(有)?多长(时间)?|考多久|一共多少分钟|how long is the exam|how much time (do i have|is there) in total/, 'timing'],
  [/(要|需要)交(些)?什么|交什么|what (do i|must i|should i) hand in|what goes (in|into) the hand-?in/, 'handin'],
  [/准确率(怎么|如何)(算|计算)|how is (the )?accuracy (computed|calculated)/, 'acceptance'],
  [/漏标|missed object/, 'acceptance'],
];

const HOWTO: Array<[RegExp, HowtoCommand]> = [
  [/(切换|改|换)(成)?(英文|中文|语言)|change (the )?language|switch to (english|chinese)/, 'lang'],
  [/导入|标准数据集|import/, 'import'],
  [/导出|export|下载数据集|download the dataset/, 'dataset'],
  [/预测|试一下模型|predict|try the model/, 'predict'],
  [/计时|倒计时|开始计时|start the (clock|timer)/, 'timer'],
  [/注册|工位号|register|station number/, 'start'],
  [/预检|自查|检查标注|pre-?acceptance|check my labels/, 'check'],
  [/清洗结果|恢复.*照片|restore (a )?photo|cleaning results/, 'clean'],
  [/审核|抽检|验收|review/, 'review'],
  [/标注|确认标签|确认框|label|confirm (the )?(boxes|labels)/, 'label'],
  [/拍照|拍摄|采集|上传照片|发照片|capture|send photos|take photos|upload/, 'capture'],
  [/报告一|第一份报告|验收报告|report ?1|first report|acceptance report/, 'report1'],
  [/报告二|第二份报告|项目报告|report ?2|second report|project report/, 'report2'],
  [/提交|交卷|文件夹|hand-?in/, 'handin'],
  [/部署|deploy/, 'deploy'],
  [/模型列表|看模型|models|runs/, 'models'],
  [/训练|train/, 'train'],
  [/计划|plan/, 'plan'],
];
const HOW = /怎么|如何|怎样|用法|咋|how (do|can|should) i|how to|how does|what does .* do|usage|where do i/;

/** Normalises a question: lower case, full-width punctuation and spacing folded. */
export function normalizeQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[?？!！。.,，~]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The tool (and arguments) that answers `text`. */
export function matchIntent(text: string): Intent {
  const s = normalizeQuestion(text);
  const z = s.replace(/\s/g, '');
  const cmd = /^\/?([a-z0-9]+)$/.exec(s)?.[1];
  if (isWhatNext(text) || /^(下一步|接下来)|下一步(该|要|应该)?(做|干)|我(该|应该)(做|干)什么|what (should|do) i do|what now|what('?s| is) next|next step/.test(s)) return { tool: 'next_step', args: none };
  if (ACT_SAMPLE.test(s) && !HOW.test(s)) return { tool: 'draw_review_sample', args: none };
  if (ACT_TRAIN.test(s) && !HOW.test(s)) return { tool: 'start_training', args: { preset: /快|fast|quick/.test(s) ? 'fast' : /精|accurate|best/.test(s) ? 'accurate' : 'balanced' } };
  if (ACT_DEPLOY.test(s) && !HOW.test(s)) return { tool: 'deploy_model', args: none };
  const slash = /\/([a-z0-9]+)/.exec(s)?.[1] ?? cmd;
  if (slash) {
    const c = HOWTO.map(([, c]) => c).find((c) => c === slash);
    if (c) return { tool: 'command_help', args: { command: c } };
  }
  for (const [re, metric] of METRIC) {
    if (re.test(s) && (MEANING.test(s) || s.length < 14) && !RULE_WORDS.test(s)) return { tool: 'explain_metric', args: { metric } };
  }
  const photo = /(?:#|照片|图片|photo|picture|第)\s*(\d{1,6})/.exec(s);
  if (/拒|淘汰|不通过|没通过|被删|废片|不合格的照片|reject|refused|declined|thrown out|not accepted|why was (my )?photo/.test(s)) {
    return { tool: 'why_rejected', args: photo?.[1] ? { photoId: Number(photo[1]) } : {} };
  }
  for (const [re, topic] of RULE_PHRASES) if (re.test(z) || re.test(s)) return { tool: 'exam_rules', args: { topic } };
  if (/还剩|剩(下|余)?(多少|几)|时间(还)?(够|多少)|几点结束|倒计时|time left|how much time|minutes left|how long (do i have|left)|when does (it|the exam) end|on (track|pace)|behind|进度落后|跟得上/.test(s)) return { tool: 'exam_clock', args: none };
  if (RULE_WORDS.test(s)) {
    const topic = TOPIC.find(([re]) => re.test(s))?.[1] ?? 'timing';
    return { tool: 'exam_rules', args: { topic } };
  }
  if (/参数|超参|epoch|轮数|学习率|batch|预设|preset|parameters?|learning rate|hyper|which settings|what settings|how should i train|how many epochs|图片尺寸|image size/.test(s)) return { tool: 'training_advice', args: none };
  if (/训练(得|的)?(怎么样|进度|状态|好了|完成|结束|到哪)|模型(怎么样|好了|训练好)|最好的模型|哪个模型|training (status|progress|done|finished)|is (the |my )?training|how is (the |my )?(training|model)|model (ready|done)|best (model|run)|which (model|run)/.test(s)) {
    return { tool: 'training_status', args: none };
  }
  if (HOW.test(s)) {
    const c = HOWTO.find(([re]) => re.test(s))?.[1];
    if (c) return { tool: 'command_help', args: { command: c } };
  }
  if (/报告|审核|交付|提交(了|好)|hand-?in|report|review|deliverable|准确率/.test(s)) return { tool: 'deliverables_status', args: none };
  if (/进度|拍了多少|拍了几|完成了多少|多少张|还差|还缺|progress|how many (photos|pictures)|how far|how am i doing|where am i|how much is (left|missing)|still missing/.test(s)) return { tool: 'get_progress', args: none };
  return { tool: 'unknown', args: none };
}
