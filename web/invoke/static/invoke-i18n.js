// The visual page's text, Chinese and English side by side (the page's language first).

/** @type {Record<string, { zh: string, en: string }>} */
export const TEXT = {
  keyLabel: { zh: 'API 密钥（在聊天中发送 /deploy 获取）', en: 'API key (send /deploy in the chat to get it)' },
  keySave: { zh: '使用', en: 'Use' },
  keyBad: { zh: '密钥不正确或已重新生成。', en: 'The key is wrong or was re-issued.' },
  dropHint: { zh: '拖入、粘贴或选择一张图片', en: 'Drop, paste or choose an image' },
  pick: { zh: '选择图片', en: 'Choose image' },
  camera: { zh: '拍照', en: 'Take photo' },
  threshold: { zh: '置信度阈值', en: 'Score threshold' },
  working: { zh: '识别中…', en: 'Detecting…' },
  deployed: { zh: '已部署模型', en: 'Deployed model' },
  deployedAt: { zh: '部署时间', en: 'deployed' },
  noMetrics: { zh: '该模型没有评估指标。', en: 'This model has no recorded metrics.' },
  noModel: { zh: '本工位还没有部署模型。', en: 'This station has no deployed model yet.' },
  cls: { zh: '类别', en: 'Class' },
  score: { zh: '置信度', en: 'Score' },
  box: { zh: '框（像素）', en: 'Box (px)' },
  latency: { zh: '耗时', en: 'Latency' },
  roundTrip: { zh: '往返', en: 'round trip' },
  server: { zh: '服务端', en: 'server' },
  inference: { zh: '推理', en: 'inference' },
  shown: { zh: '显示', en: 'shown' },
  failed: { zh: '请求失败，请重试。', en: 'The request failed; try again.' },
};

/**
 * Both languages of a text, the page's language first.
 * @param {string} key
 * @param {'zh'|'en'} lang
 */
export function t(key, lang) {
  const x = TEXT[key];
  if (!x) return key;
  return lang === 'en' ? `${x.en} · ${x.zh}` : `${x.zh} · ${x.en}`;
}
