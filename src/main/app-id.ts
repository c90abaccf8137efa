// The app's ids: the installers' appId and, on Windows, the AppUserModelId toasts are routed by,
// and the fixed COM class id of the toast activator. Windows starts that activator for clicks,
// replies and buttons in the Action Center; it must be the same in every run and on the Start
// menu shortcut (Electron makes up a new one per run when none is set).
export const APP_ID = 'com.genesyschattray.app';
export const TOAST_ACTIVATOR_CLSID = '{C48A65E0-5FC7-4D52-B5FE-EB60F7CB2AEE}';
