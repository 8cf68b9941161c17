// @ts-check
// The page's text in Chinese (default) and English. `{name}` placeholders are filled
// with textContent only, never as HTML.

const STRINGS = {
  zh: {
    title: '框选编辑 · 照片 #{photo} · 工位 {station}',
    loading: '正在加载…',
    hint: '点一下框选中它，再拖动可移动、拖动角点可调整大小；在空白处拖动可画新框。',
    hintSelected: '已选中一个框：点类别按钮可修改类别；点“贴合”（或按 S）贴紧物体边缘。',
    undo: '撤销',
    delete: '删除',
    save: '保存',
    saving: '正在保存…',
    saved: '已保存（版本 {version}），可以返回聊天。',
    failed: '保存失败：{message}',
    network: '网络错误，请重试。',
    loadFailed: '无法加载：{message}',
    noCredentials: '请从聊天中的“编辑”按钮打开本页。',
    unsaved: '有未保存的修改',
    boxes: '{n} 个框',
    snap: '贴合',
    snapTitle: '把选中的框贴合到物体边缘（S 键）',
    snapping: '正在贴合…',
    snapped: '已贴合：{sides}。可撤销。',
    snapNone: '边缘不够清楚或框已贴合，未改动。',
    snapFailed: '贴合失败：{message}',
    side_left: '左',
    side_top: '上',
    side_right: '右',
    side_bottom: '下',
    sideMoved: '{side} {px} px',
  },
  en: {
    title: 'Box editor · photo #{photo} · station {station}',
    loading: 'Loading…',
    hint: 'Tap a box to select it, then drag to move it or drag a corner to resize; drag on empty space to draw a new box.',
    hintSelected: 'Box selected: tap a class button to change its class; Snap (or S) fits it to the object\'s edges.',
    undo: 'Undo',
    delete: 'Delete',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved (version {version}). You can return to the chat.',
    failed: 'Save failed: {message}',
    network: 'Network error, please try again.',
    loadFailed: 'Cannot load: {message}',
    noCredentials: 'Open this page from the Edit button in the chat.',
    unsaved: 'Unsaved changes',
    boxes: '{n} boxes',
    snap: 'Snap',
    snapTitle: 'Snap the selected box to the object\'s edges (S key)',
    snapping: 'Snapping…',
    snapped: 'Snapped: {sides}. Undo reverts it.',
    snapNone: 'No clear edge to snap to, or the box already fits: left as it was.',
    snapFailed: 'Snap failed: {message}',
    side_left: 'left',
    side_top: 'top',
    side_right: 'right',
    side_bottom: 'bottom',
    sideMoved: '{side} {px} px',
  },
};

/** Text for `key` in `lang` (Chinese unless 'en'), with `{name}` filled from `params`. */
export function tr(lang, key, params = {}) {
  const table = lang === 'en' ? STRINGS.en : STRINGS.zh;
  const template = table[key] ?? STRINGS.zh[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** The language-specific message of an API error body `{ error, message: { zh, en } }`. */
export function errorMessage(lang, body) {
  const m = body && body.message;
  if (m && typeof m === 'object') return (lang === 'en' ? m.en : m.zh) || body.error || '';
  return (body && body.error) || '';
}
