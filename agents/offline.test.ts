import { describe, expect, it } from 'vitest';
import { answerOffline } from './offline.js';
import { matchIntent } from '../core/index.js';
import { midExamFacts } from './test-fixtures/facts.js';

/**
 * The offline guide on a table of common questions, each asked in Chinese and in English: the
 * intent (which tool answers) and what the answer says, with the facts' own numbers
 * (`midExamFacts`: 57/100 photos, 49 confirmed, 5 waiting, 3 rejected, clock at minute 65…).
 */
type Row = [zh: string, en: string, tool: string, zhHas: string[], enHas: string[], callback?: string];
const ROWS: Row[] = [
  ['下一步做什么？', 'What should I do next?', 'next_step', ['5 张照片等待确认'], ['5 photos wait'], 'v1:gx:label'],
  ['接下来干什么', 'next step?', 'next_step', ['/label'], ['/label'], 'v1:gx:label'],
  ['我的进度怎么样', 'How far am I?', 'get_progress', ['57/100', '49'], ['57/100', '49 labels confirmed']],
  ['已经拍了多少张了？', 'How many photos have I taken?', 'get_progress', ['57/100'], ['57/100']],
  ['还差多少张', 'What is still missing?', 'get_progress', ['还差 13 张'], ['13 to go']],
  ['还剩多少时间？', 'How much time is left?', 'exam_clock', ['还剩 55 分钟', '已用 65 分钟'], ['55 min left of 120']],
  ['我的进度落后了吗', 'Am I behind?', 'exam_clock', ['第 60 分钟检查点落后：采集、标注确认、报告一'], ['Behind the 60-minute checkpoint: capture, labels confirmed, report 1']],
  ['考试几点结束', 'When does the exam end?', 'exam_clock', ['55'], ['55'] ],
  ['为什么我的照片被拒了', 'Why were my photos rejected?', 'why_rejected', ['3 张照片被拒', '模糊 2'], ['3 photos were rejected', 'blurry 2'], 'v1:gx:clean'],
  ['照片 #12 为什么被拒？', 'Why was photo #12 rejected?', 'why_rejected', ['照片 #12 被拒', '41'], ['Photo #12 was rejected', '41']],
  ['第 30 张照片为什么不通过', 'Why was photo 30 refused?', 'why_rejected', ['#30 不在被拒照片中'], ['#30 is not among the rejected']],
  ['采集的规则是什么', 'What are the capture rules?', 'exam_rules', ['100 张', '15 分'], ['100 photos', '15 points']],
  ['一共需要拍多少张？', 'How many photos do I need?', 'exam_rules', ['×10'], ['×10']],
  ['验收标准有什么要求', 'What are the acceptance rules?', 'exam_rules', ['20%', '漏标'], ['20%', 'missed object']],
  ['什么样的框算合格？', 'What counts as a qualified box?', 'exam_rules', ['最小外接矩形'], ['tightly on all four sides']],
  ['准确率怎么计算', 'How is the accuracy calculated?', 'explain_metric', ['合格框数', '0.900'], ['qualified boxes', '0.900']],
  ['标注有什么规定', 'What are the labeling requirements?', 'exam_rules', ['competition'], ['competition']],
  ['清洗有什么要求', 'What does the exam say about cleaning?', 'exam_rules', ['清洗'], ['Cleaning']],
  ['训练部分怎么评分', 'How is training scored?', 'exam_rules', ['15 分', '20 分'], ['15 points', '20 points']],
  ['部署有什么要求', 'What are the deploy requirements?', 'exam_rules', ['调用服务'], ['invocation service']],
  ['报告有什么要求', 'What are the rules for the reports?', 'exam_rules', ['/report1', '/report2'], ['/report1', '/report2']],
  ['要交什么？', 'What do I hand in?', 'exam_rules', ['姓名+身份证号码'], ['name + ID-card number']],
  ['考试多长时间', 'How long is the exam?', 'exam_rules', ['120 分钟'], ['120 minutes']],
  ['训练参数怎么设置', 'Which parameters should I use?', 'training_advice', ['balanced', '80 轮', '2.2 倍'], ['balanced', '80 epochs', '2.2×']],
  ['学习率设多少', 'What learning rate should I use?', 'training_advice', ['49 张'], ['49 confirmed photos']],
  ['epoch 设多少合适', 'How many epochs?', 'training_advice', ['剩余的 55 分钟'], ['55 min left']],
  ['训练得怎么样了', 'How is the training going?', 'training_status', ['A07-r2', '14/80', '约剩 8 分钟'], ['A07-r2', 'epoch 14/80', 'about 8 min left']],
  ['最好的模型是哪个', 'Which run is best?', 'training_status', ['A07-r1', '0.873'], ['A07-r1', '0.873']],
  ['mAP50 是什么意思', 'What does mAP50 mean?', 'explain_metric', ['IoU ≥ 0.5', '0.873'], ['IoU ≥ 0.5', 'A07-r1: 0.873']],
  ['mAP50:95 是什么', 'What is mAP50-95?', 'explain_metric', ['0.552'], ['0.552']],
  ['精确率是什么', 'What is precision?', 'explain_metric', ['0.912'], ['0.912']],
  ['召回率是什么意思', 'Explain recall', 'explain_metric', ['0.846'], ['0.846']],
  ['loss 是什么', 'What does the loss mean?', 'explain_metric', ['损失'], ['training error']],
  ['IoU 是什么', 'What is IoU?', 'explain_metric', ['交并比'], ['intersection over union']],
  ['AP 是什么意思', 'What is AP?', 'explain_metric', ['精确率–召回率曲线'], ['precision–recall curve']],
  ['准确率是什么意思', 'What does accuracy mean?', 'explain_metric', ['0.900'], ['0.900']],
  ['报告做了吗', 'Are my reports done?', 'deliverables_status', ['⬜ 报告一', '✅ 数据集导出'], ['⬜ Report 1', '✅ Dataset export']],
  ['审核完成了吗', 'Is the review finished?', 'deliverables_status', ['准确率 0.900', '29 个框中合格 27 个'], ['accuracy 0.900 (27 qualified of 29 boxes, 1 missed)']],
  ['/review 怎么用', 'How do I use /review?', 'command_help', ['抽取验收样本'], ['draws the acceptance sample'], 'v1:gx:review'],
  ['怎么拍照上传', 'How do I send photos?', 'command_help', ['/capture'], ['/capture'], 'v1:gx:capture'],
  ['怎么确认标签', 'How do I confirm the labels?', 'command_help', ['/label'], ['/label'], 'v1:gx:label'],
  ['怎么切换成英文', 'How do I change the language?', 'command_help', ['/lang en'], ['/lang en']],
  ['怎么开始计时', 'How do I start the timer?', 'command_help', ['/timer'], ['/timer']],
  ['怎么部署模型', 'How do I deploy?', 'command_help', ['/deploy'], ['/deploy']],
  ['怎么导入标准数据集', 'How do I import the standard dataset?', 'command_help', ['/import'], ['/import']],
  ['/report1 是做什么的', 'What does /report1 do?', 'command_help', ['验收报告'], ['acceptance report']],
  ['开始训练', 'Start training', 'start_training', ['balanced', '80 轮', '49 张'], ['balanced', '80 epochs', '49 confirmed'], 'v1:tp:balanced'],
  ['快速训练吧', 'Start training fast', 'start_training', ['fast', '40 轮'], ['fast', '40 epochs'], 'v1:tp:fast'],
  ['帮我部署', 'Deploy the model now', 'deploy_model', ['A07-r1', '0.873'], ['A07-r1', '0.873'], 'v1:dp:A07-r1'],
  ['帮我抽样', 'Draw the review sample', 'draw_review_sample', ['20%', '10 张'], ['20%', '10 photos'], 'v1:rd'],
  ['今天天气怎么样', 'What is the weather today?', 'unknown', ['我可以回答'], ['I can answer']],
];

describe('the offline guide', () => {
  it(`has a table of at least 40 questions in each language (${ROWS.length})`, () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  for (const [zh, en, tool, zhHas, enHas, callback] of ROWS) {
    it(`answers “${zh}” / “${en}” with ${tool}`, () => {
      const facts = midExamFacts();
      for (const [q, lang, has] of [[zh, 'zh', zhHas], [en, 'en', enHas]] as const) {
        expect(matchIntent(q).tool, q).toBe(tool);
        const a = answerOffline(q, { facts, lang });
        for (const s of has) expect(a.text, q).toContain(s);
        expect(a.source).toBe('offline');
        if (callback) expect(a.button?.callback, q).toBe(callback);
      }
    });
  }

  it('answers in the language asked for, and the same facts give the same answer', () => {
    const facts = midExamFacts();
    const zh = answerOffline('还剩多少时间', { facts, lang: 'zh' });
    const en = answerOffline('还剩多少时间', { facts, lang: 'en' });
    expect(zh.text).toMatch(/[\u4e00-\u9fff]/);
    expect(en.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(answerOffline('还剩多少时间', { facts, lang: 'zh' })).toEqual(zh);
  });

  it('tells an unregistered user to register, with the /start button', () => {
    const facts = midExamFacts({ stationNo: undefined });
    const a = answerOffline('what next?', { facts, lang: 'en' });
    expect(a.text).toBe('Next: send /start to register your station.');
    expect(a.button?.callback).toBe('v1:gx:start');
  });

  it('says how to start the clock when it is not running', () => {
    const facts = midExamFacts({ clock: undefined });
    const a = answerOffline('how much time is left?', { facts, lang: 'en' });
    expect(a.text).toContain('/timer starts the 120-minute countdown');
    expect(a.button?.callback).toBe('v1:gx:timer');
  });
});
